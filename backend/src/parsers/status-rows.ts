import type { StatusClient, StatusRoute } from '../model';
import type { FieldCursor } from './field-cursor';
import { parseLocalTime } from './openvpn-time';
import { parseRealAddress } from './real-address';

/**
 * Client-list and routing-table rows of every status version, read through the column names
 * of their header line: columns were added across OpenVPN releases and more may come.
 * Each decoder returns the record or one sentence naming the column and value at fault.
 */

/** Peer ID OpenVPN prints when a client has none: MAX_PEER_ID, or UINT32_MAX without a TLS context. */
const NO_PEER_IDS = new Set([16777215, 4294967295]);

/** Index of each known column in a row (-1 when the header lacks it) and how many fields a row has. */
export interface ClientColumns {
  fieldCount: number;
  commonName: number;
  realAddress: number;
  virtualIpv4: number;
  virtualIpv6: number;
  bytesReceived: number;
  bytesSent: number;
  connectedSince: number;
  connectedSinceTimeT: number;
  username: number;
  clientId: number;
  peerId: number;
  cipher: number;
}

export interface RouteColumns {
  fieldCount: number;
  virtualAddress: number;
  commonName: number;
  realAddress: number;
  lastRef: number;
  lastRefTimeT: number;
}

/**
 * `names` are the header's column names; `offset` is how many fields precede the first column
 * in a row (the record type in v2/v3, nothing in v1).
 */
export function clientColumns(names: string[], offset: number): ClientColumns | string {
  const at = columnFinder(names, offset);
  const columns: ClientColumns = {
    fieldCount: names.length + offset,
    commonName: at('Common Name'),
    realAddress: at('Real Address'),
    virtualIpv4: at('Virtual Address'),
    virtualIpv6: at('Virtual IPv6 Address'),
    bytesReceived: at('Bytes Received'),
    bytesSent: at('Bytes Sent'),
    connectedSince: at('Connected Since'),
    connectedSinceTimeT: at('Connected Since (time_t)'),
    username: at('Username'),
    clientId: at('Client ID'),
    peerId: at('Peer ID'),
    cipher: at('Data Channel Cipher'),
  };
  const missing = missingColumns([
    ['Common Name', columns.commonName],
    ['Real Address', columns.realAddress],
    ['Bytes Received', columns.bytesReceived],
    ['Bytes Sent', columns.bytesSent],
    ['Connected Since', Math.max(columns.connectedSince, columns.connectedSinceTimeT)],
  ]);
  return missing ?? columns;
}

export function routeColumns(names: string[], offset: number): RouteColumns | string {
  const at = columnFinder(names, offset);
  const columns: RouteColumns = {
    fieldCount: names.length + offset,
    virtualAddress: at('Virtual Address'),
    commonName: at('Common Name'),
    realAddress: at('Real Address'),
    lastRef: at('Last Ref'),
    lastRefTimeT: at('Last Ref (time_t)'),
  };
  const missing = missingColumns([
    ['Virtual Address', columns.virtualAddress],
    ['Common Name', columns.commonName],
    ['Real Address', columns.realAddress],
    ['Last Ref', Math.max(columns.lastRef, columns.lastRefTimeT)],
  ]);
  return missing ?? columns;
}

function columnFinder(names: string[], offset: number): (name: string) => number {
  return (name) => {
    const index = names.indexOf(name);
    return index < 0 ? -1 : index + offset;
  };
}

function missingColumns(required: Array<[string, number]>): string | null {
  const missing = required.filter(([, index]) => index < 0).map(([name]) => `'${name}'`);
  return missing.length > 0 ? `lacks column ${missing.join(', ')}` : null;
}

export function clientFromRow(row: FieldCursor, columns: ClientColumns): StatusClient | string {
  if (row.count !== columns.fieldCount) {
    return fieldCountMismatch(row.count, columns.fieldCount);
  }
  const printedAddress = row.field(columns.realAddress);
  const real = parseRealAddress(printedAddress);
  if (typeof real === 'string') {
    return `has Real Address '${printedAddress}': ${real}`;
  }
  const bytesReceived = row.decimal(columns.bytesReceived);
  if (bytesReceived === null) {
    return notANumber(row, columns.bytesReceived, 'Bytes Received');
  }
  const bytesSent = row.decimal(columns.bytesSent);
  if (bytesSent === null) {
    return notANumber(row, columns.bytesSent, 'Bytes Sent');
  }
  const connectedSince = timeColumn(row, columns.connectedSinceTimeT, columns.connectedSince, 'Connected Since');
  if (typeof connectedSince === 'string') {
    return connectedSince;
  }
  const clientId = optionalNumber(row, columns.clientId);
  if (clientId === null) {
    return notANumber(row, columns.clientId, 'Client ID');
  }
  const peerId = optionalNumber(row, columns.peerId);
  if (peerId === null) {
    return notANumber(row, columns.peerId, 'Peer ID');
  }
  return {
    commonName: row.field(columns.commonName),
    username:
      columns.username < 0 || row.is(columns.username, 'UNDEF') ? undefined : optionalText(row, columns.username),
    realAddress: real.realAddress,
    realIp: real.realIp,
    realPort: real.realPort,
    protocol: real.protocol,
    virtualIpv4: optionalText(row, columns.virtualIpv4),
    virtualIpv6: optionalText(row, columns.virtualIpv6),
    bytesReceived,
    bytesSent,
    connectedSince,
    clientId,
    peerId: peerId !== undefined && NO_PEER_IDS.has(peerId) ? undefined : peerId,
    cipher: optionalText(row, columns.cipher),
  };
}

export function routeFromRow(row: FieldCursor, columns: RouteColumns): StatusRoute | string {
  if (row.count !== columns.fieldCount) {
    return fieldCountMismatch(row.count, columns.fieldCount);
  }
  if (row.isEmpty(columns.virtualAddress)) {
    return 'has an empty Virtual Address';
  }
  const printedAddress = row.field(columns.realAddress);
  const real = parseRealAddress(printedAddress);
  if (typeof real === 'string') {
    return `has Real Address '${printedAddress}': ${real}`;
  }
  const lastRef = timeColumn(row, columns.lastRefTimeT, columns.lastRef, 'Last Ref');
  if (typeof lastRef === 'string') {
    return lastRef;
  }
  const printed = row.field(columns.virtualAddress);
  // OpenVPN prints hex in lower case, so an upper-case C can only be the cached-route flag
  const cached = printed.charCodeAt(printed.length - 1) === 67;
  return {
    virtualAddress: cached ? printed.slice(0, -1) : printed,
    cached,
    commonName: row.field(columns.commonName),
    realAddress: real.realAddress,
    lastRef,
  };
}

/** Unix seconds from the `(time_t)` column when there is one, else from the local-time text. */
function timeColumn(row: FieldCursor, timeTIndex: number, textIndex: number, name: string): number | string {
  if (timeTIndex >= 0) {
    return row.decimal(timeTIndex) ?? notANumber(row, timeTIndex, `${name} (time_t)`);
  }
  const text = row.field(textIndex);
  return (
    parseLocalTime(text) ??
    `has '${text}' in column '${name}', expected a local time like '2017-03-16 17:09:03' or 'Thu Mar 16 17:09:03 2017'`
  );
}

/** undefined when the column is absent or empty, null when it holds something else than a number. */
function optionalNumber(row: FieldCursor, index: number): number | undefined | null {
  return index < 0 || row.isEmpty(index) ? undefined : row.decimal(index);
}

function optionalText(row: FieldCursor, index: number): string | undefined {
  return index < 0 || row.isEmpty(index) ? undefined : row.field(index);
}

function notANumber(row: FieldCursor, index: number, column: string): string {
  return `has '${row.field(index)}' in column '${column}', expected a non-negative integer`;
}

function fieldCountMismatch(count: number, expected: number): string {
  return `has ${count} fields where its header calls for ${expected}`;
}
