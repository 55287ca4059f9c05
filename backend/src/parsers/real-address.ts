import { parseDecimalIn } from './decimal';

/**
 * The `Real Address` column in every style OpenVPN has printed it:
 * 2.6 and older: `198.18.0.2:40822`, or a bare `2001:db8::5` (no port: `v6:port` is ambiguous);
 * 2.7: a protocol prefix, and IPv6 bracketed with its port: `udp4:198.18.0.2:40822`,
 * `tcp6-server:[2001:db8::5]:1194`, `udp6:198.18.0.2:40822` (v4-mapped).
 * The normalised `realAddress` is the same for one client whichever version printed it, so
 * sessions keep their identity across an OpenVPN upgrade: `ip:port` for IPv4, the bare IPv6.
 */

export interface RealAddress {
  realAddress: string;
  realIp: string;
  realPort: number | undefined;
  protocol: string | undefined;
}

/** OpenVPN's protocol names (socket.c proto_names), as 2.7 prefixes them. */
const PROTOCOLS = new Set([
  'udp',
  'tcp-server',
  'tcp-client',
  'tcp',
  'udp4',
  'tcp4-server',
  'tcp4-client',
  'tcp4',
  'udp6',
  'tcp6-server',
  'tcp6-client',
  'tcp6',
]);

const BAD_PORT = 'no valid port (0-65535)';

/** The address, or a few words saying what is wrong with it. */
export function parseRealAddress(text: string): RealAddress | string {
  let protocol: string | undefined;
  let start = 0;
  const first = text.charCodeAt(0);
  // 'u' and 't' are not hex digits, so no bare address starts with them
  if (first === 117 || first === 116) {
    const colon = text.indexOf(':');
    protocol = colon < 0 ? text : text.slice(0, colon);
    if (!PROTOCOLS.has(protocol)) {
      return `unknown protocol prefix '${protocol}'`;
    }
    start = colon + 1;
  }

  if (text.charCodeAt(start) === 91 /* [ */) {
    const close = text.indexOf(']', start);
    if (close < 0 || (close + 1 < text.length && text.charCodeAt(close + 1) !== 58)) {
      return "text after ']' is not ':port'";
    }
    const port = close + 1 < text.length ? parsePort(text, close + 2) : undefined;
    return port === null ? BAD_PORT : address(text, start + 1, close, close, port, protocol);
  }

  const colon = text.indexOf(':', start);
  if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
    return address(text, start, text.length, text.length, undefined, protocol);
  }
  const port = parsePort(text, colon + 1);
  return port === null ? BAD_PORT : address(text, start, text.length, colon, port, protocol);
}

/**
 * The address is text[start, end) and its IP text[start, ipEnd). Read in place and sliced only
 * when needed: this runs for every row of a status report.
 */
function address(
  text: string,
  start: number,
  end: number,
  ipEnd: number,
  realPort: number | undefined,
  protocol: string | undefined
): RealAddress | string {
  if (!isIpText(text, start, ipEnd)) {
    return 'not an IP address';
  }
  const realAddress = start === 0 && end === text.length ? text : text.slice(start, end);
  const realIp = ipEnd === end ? realAddress : text.slice(start, ipEnd);
  return { realAddress, realIp, realPort, protocol };
}

/** A cheap shape check (hex digits, dots, colons; at least one separator), not full validation. */
function isIpText(text: string, start: number, end: number): boolean {
  let separators = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 58) {
      separators++;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) {
      return false;
    }
  }
  return separators > 0;
}

function parsePort(text: string, start: number): number | null {
  const port = parseDecimalIn(text, start, text.length);
  return port !== null && port <= 65535 ? port : null;
}
