import type { StatusClient, StatusReport, StatusRoute } from '../../backend/src/model';

/**
 * Prints a StatusReport the way a given OpenVPN release writes its status file (multi.c
 * multi_print_status), for round-trip tests and benchmark inputs. Times are printed in this
 * process's local zone, as OpenVPN does in the server's.
 */

export type OpenVpnRelease = '2.3' | '2.4' | '2.5' | '2.6' | '2.7';

export interface StatusWriterOptions {
  format: 1 | 2 | 3;
  /** Decides the client-list columns, the time style and the real-address style; default 2.6. */
  release?: OpenVpnRelease;
  /** `prefixed` is 2.7's `udp4:198.18.0.2:1194` / `udp6:[2001:db8::5]:1194`; default follows the release. */
  addressStyle?: 'plain' | 'prefixed';
  lineEnding?: '\n' | '\r\n';
}

const COLUMNS_2_3 = [
  'Common Name',
  'Real Address',
  'Virtual Address',
  'Bytes Received',
  'Bytes Sent',
  'Connected Since',
  'Connected Since (time_t)',
  'Username',
];
const COLUMNS_2_4 = [
  'Common Name',
  'Real Address',
  'Virtual Address',
  'Virtual IPv6 Address',
  'Bytes Received',
  'Bytes Sent',
  'Connected Since',
  'Connected Since (time_t)',
  'Username',
  'Client ID',
  'Peer ID',
];
const COLUMNS_2_5 = [...COLUMNS_2_4, 'Data Channel Cipher'];
const CLIENT_COLUMNS: Record<OpenVpnRelease, string[]> = {
  '2.3': COLUMNS_2_3,
  '2.4': COLUMNS_2_4,
  '2.5': COLUMNS_2_5,
  '2.6': COLUMNS_2_5,
  '2.7': COLUMNS_2_5,
};

const V1_CLIENT_COLUMNS = ['Common Name', 'Real Address', 'Bytes Received', 'Bytes Sent', 'Connected Since'];
const ROUTE_COLUMNS = ['Virtual Address', 'Common Name', 'Real Address', 'Last Ref', 'Last Ref (time_t)'];
/** What OpenVPN prints in `Peer ID` for a client without one (MAX_PEER_ID). */
const NO_PEER_ID = 16777215;

export function formatStatus(report: StatusReport, options: StatusWriterOptions): string {
  const release = options.release ?? '2.6';
  const style = options.addressStyle ?? (release === '2.7' ? 'prefixed' : 'plain');
  const time = (seconds: number) => (release === '2.3' || release === '2.4' ? ctime(seconds) : isoTime(seconds));
  const printed = new Map(report.clients.map((client) => [connectionKey(client), printAddress(client, style)]));
  const routeAddress = (route: StatusRoute) => printed.get(connectionKey(route)) ?? route.realAddress;
  const lines =
    options.format === 1
      ? version1(report, time, printed, routeAddress)
      : records(report, options.format === 3 ? '\t' : ',', CLIENT_COLUMNS[release], time, printed, routeAddress);
  const ending = options.lineEnding ?? '\n';
  return lines.join(ending) + ending;
}

/** The host routes OpenVPN lists for these clients' virtual addresses, last referenced when they connected. */
export function hostRoutes(clients: StatusClient[]): StatusRoute[] {
  return clients.flatMap((client) =>
    [client.virtualIpv4, client.virtualIpv6]
      .filter((address): address is string => address !== undefined)
      .map((virtualAddress) => ({
        virtualAddress,
        cached: false,
        commonName: client.commonName,
        realAddress: client.realAddress,
        lastRef: client.connectedSince,
      }))
  );
}

function version1(
  report: StatusReport,
  time: (seconds: number) => string,
  printed: Map<string, string>,
  routeAddress: (route: StatusRoute) => string
): string[] {
  const lines = ['OpenVPN CLIENT LIST'];
  if (report.updatedAt !== null) {
    lines.push(`Updated,${time(report.updatedAt)}`);
  }
  lines.push(V1_CLIENT_COLUMNS.join(','));
  for (const client of report.clients) {
    const { commonName, bytesReceived, bytesSent, connectedSince } = client;
    lines.push(
      [commonName, printed.get(connectionKey(client)), bytesReceived, bytesSent, time(connectedSince)].join(',')
    );
  }
  lines.push('ROUTING TABLE', ROUTE_COLUMNS.slice(0, 4).join(','));
  for (const route of report.routes) {
    const { commonName, lastRef } = route;
    lines.push([routeVirtualAddress(route), commonName, routeAddress(route), time(lastRef)].join(','));
  }
  lines.push('GLOBAL STATS');
  for (const [name, value] of Object.entries(report.globalStats)) {
    lines.push(`${name},${value}`);
  }
  lines.push('END');
  return lines;
}

function records(
  report: StatusReport,
  sep: string,
  columns: string[],
  time: (seconds: number) => string,
  printed: Map<string, string>,
  routeAddress: (route: StatusRoute) => string
): string[] {
  const lines: string[] = [];
  if (report.title !== undefined) {
    lines.push(['TITLE', report.title].join(sep));
  }
  if (report.updatedAt !== null) {
    lines.push(['TIME', time(report.updatedAt), report.updatedAt].join(sep));
  }
  lines.push(['HEADER', 'CLIENT_LIST', ...columns].join(sep));
  for (const client of report.clients) {
    const cells: Record<string, string | number> = {
      'Common Name': client.commonName,
      'Real Address': printed.get(connectionKey(client)) ?? '',
      'Virtual Address': client.virtualIpv4 ?? '',
      'Virtual IPv6 Address': client.virtualIpv6 ?? '',
      'Bytes Received': client.bytesReceived,
      'Bytes Sent': client.bytesSent,
      'Connected Since': time(client.connectedSince),
      'Connected Since (time_t)': client.connectedSince,
      Username: client.username ?? 'UNDEF',
      'Client ID': client.clientId ?? '',
      'Peer ID': client.peerId ?? NO_PEER_ID,
      'Data Channel Cipher': client.cipher ?? '',
    };
    lines.push(['CLIENT_LIST', ...columns.map((column) => cells[column])].join(sep));
  }
  lines.push(['HEADER', 'ROUTING_TABLE', ...ROUTE_COLUMNS].join(sep));
  for (const route of report.routes) {
    const { commonName, lastRef } = route;
    lines.push(
      ['ROUTING_TABLE', routeVirtualAddress(route), commonName, routeAddress(route), time(lastRef), lastRef].join(sep)
    );
  }
  for (const [name, value] of Object.entries(report.globalStats)) {
    lines.push(['GLOBAL_STATS', name, value].join(sep));
  }
  lines.push('END');
  return lines;
}

function routeVirtualAddress(route: StatusRoute): string {
  return route.cached ? `${route.virtualAddress}C` : route.virtualAddress;
}

function connectionKey(connection: { commonName: string; realAddress: string }): string {
  return `${connection.commonName}\n${connection.realAddress}`;
}

/** 2.6 and older drop the port of an IPv6 address (`v6:port` is ambiguous); 2.7 brackets it. */
function printAddress(client: StatusClient, style: 'plain' | 'prefixed'): string {
  const { realIp, realPort } = client;
  const ipv6 = realIp.includes(':');
  if (style === 'plain') {
    return ipv6 || realPort === undefined ? realIp : `${realIp}:${realPort}`;
  }
  const protocol = client.protocol ?? (ipv6 ? 'udp6' : 'udp4');
  const host = ipv6 && realPort !== undefined ? `[${realIp}]` : realIp;
  return realPort === undefined ? `${protocol}:${host}` : `${protocol}:${host}:${realPort}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Thu Mar  6 17:09:03 2017`, as ctime(3) and OpenVPN up to 2.4. */
function ctime(seconds: number): string {
  const date = new Date(seconds * 1000);
  const day = String(date.getDate()).padStart(2, ' ');
  return `${WEEKDAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${day} ${clock(date)} ${date.getFullYear()}`;
}

/** `2017-03-06 17:09:03`, as OpenVPN 2.5 and later. */
function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock(date)}`;
}

function clock(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
