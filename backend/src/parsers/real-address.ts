import { parseDecimal } from './decimal';

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
  let rest = text;
  const first = text.charCodeAt(0);
  // 'u' and 't' are not hex digits, so no bare address starts with them
  if (first === 117 || first === 116) {
    const colon = text.indexOf(':');
    protocol = colon < 0 ? text : text.slice(0, colon);
    if (!PROTOCOLS.has(protocol)) {
      return `unknown protocol prefix '${protocol}'`;
    }
    rest = text.slice(colon + 1);
  }

  if (rest.charCodeAt(0) === 91 /* [ */) {
    const close = rest.indexOf(']');
    if (close < 0 || (close + 1 < rest.length && rest.charCodeAt(close + 1) !== 58)) {
      return "text after ']' is not ':port'";
    }
    const ip = rest.slice(1, close);
    const port = close + 1 < rest.length ? parsePort(rest.slice(close + 2)) : undefined;
    return port === null ? BAD_PORT : address(ip, ip, port, protocol);
  }

  const colon = rest.indexOf(':');
  if (colon < 0 || rest.indexOf(':', colon + 1) >= 0) {
    return address(rest, rest, undefined, protocol);
  }
  const port = parsePort(rest.slice(colon + 1));
  return port === null ? BAD_PORT : address(rest, rest.slice(0, colon), port, protocol);
}

function address(
  realAddress: string,
  realIp: string,
  realPort: number | undefined,
  protocol: string | undefined
): RealAddress | string {
  if (!isIpText(realIp)) {
    return 'not an IP address';
  }
  return { realAddress, realIp, realPort, protocol };
}

/** A cheap shape check (hex digits, dots, colons; at least one separator), not full validation. */
function isIpText(ip: string): boolean {
  let separators = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46 || c === 58) {
      separators++;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) {
      return false;
    }
  }
  return separators > 0;
}

function parsePort(text: string): number | null {
  const port = parseDecimal(text);
  return port !== null && port <= 65535 ? port : null;
}
