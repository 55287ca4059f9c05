import { parseRealAddress, type RealAddress } from './real-address';

/**
 * OpenVPN server log lines, as the management interface hands them out: `time,flags,message`
 * in the `log on all` history and `>LOG:time,flags,message` live. Pure: text in, facts out.
 * Message texts were read from OpenVPN 2.4–2.7 sources and a 2.6.14 server.
 */

export interface LogEntry {
  /** Unix seconds. */
  time: number;
  /** OpenVPN's message flags: `I` info, `W` warning, `N` non-fatal, `D` debug, `F` fatal, or empty. */
  flags: string;
  message: string;
}

/** Where a log line came from: the `cn/address` prefix OpenVPN puts before per-client messages. */
export interface LogPeer extends RealAddress {
  commonName?: string;
}

export type SecurityEventKind = 'auth_failure' | 'tls_error';

/** One line that says a client failed to authenticate or to complete the TLS handshake. */
export interface SecuritySignal {
  kind: SecurityEventKind;
  /** Null when OpenVPN named no client (e.g. a p2p server's own handshake). */
  peer: LogPeer | null;
  /** The user the line names: certificate CN, username, or the CN OpenVPN sent AUTH_FAILED to. */
  user?: string;
  detail: string;
}

export type LogFact =
  | { kind: 'security'; signal: SecuritySignal }
  | { kind: 'server_restart'; detail: string }
  /** The exact IPv4 pool capacity, printed at verb 3 when the server starts. */
  | { kind: 'pool_size'; base: string; size: number }
  /** One `IV_*`/`UV_*` variable a connecting client reported. */
  | { kind: 'peer_info'; peer: LogPeer; key: string; value: string };

const LOG_ENTRY = /^(\d+),([A-Z]*),(.*)$/;

/** Splits `time,flags,message`; null for anything else. */
export function parseLogEntry(text: string): LogEntry | null {
  const match = LOG_ENTRY.exec(text);
  if (!match) {
    return null;
  }
  const time = Number(match[1]);
  return Number.isSafeInteger(time) ? { time, flags: match[2], message: match[3] } : null;
}

const SOCKET_ADDRESS = /\[AF_INET6?\]([0-9A-Fa-f:.]+)/;
const V4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * `cn/address` or `address` (the text before a per-client message), normalised like the status
 * file's Real Address so log facts join sessions. The CN may contain `/`; the address never does.
 */
function peerFromPrefix(prefix: string): LogPeer | null {
  const slash = prefix.lastIndexOf('/');
  const address = parseRealAddress(prefix.slice(slash + 1));
  if (typeof address === 'string') {
    return null;
  }
  const commonName = slash > 0 ? prefix.slice(0, slash) : undefined;
  return commonName !== undefined && commonName !== 'UNDEF' ? { ...address, commonName } : address;
}

/** `... from [AF_INET]1.2.3.4:port` or `[AF_INET6]2001:db8::1:port` (the port after the last colon). */
function peerFromSocketAddress(body: string): LogPeer | null {
  const match = SOCKET_ADDRESS.exec(body);
  const colon = match ? match[1].lastIndexOf(':') : -1;
  if (!match || colon <= 0) {
    return null;
  }
  const ip = match[1].slice(0, colon);
  const port = match[1].slice(colon + 1);
  const v4 = V4_MAPPED.exec(ip)?.[1] ?? (ip.includes(':') ? undefined : ip);
  const address = parseRealAddress(v4 !== undefined ? `${v4}:${port}` : `[${ip}]:${port}`);
  return typeof address === 'string' ? null : address;
}

interface SecurityRule {
  kind: SecurityEventKind;
  /** Matches the message after the client prefix; the first capture group, if any, is the user. */
  pattern: RegExp;
  user?: (match: RegExpExecArray) => string | undefined;
}

const quotedUser = (body: string): string | undefined => /(?:username|common name) '([^']*)'/.exec(body)?.[1];
const leafCertificateCn = (body: string): string | undefined =>
  /depth=0\b/.test(body) ? /\bCN=([^,]+)/.exec(body)?.[1] : undefined;

/** Order matters: the first rule that matches a message classifies it. */
const SECURITY_RULES: SecurityRule[] = [
  { kind: 'auth_failure', pattern: /^VERIFY (?:\S+ )?ERROR\b/, user: (m) => leafCertificateCn(m.input) },
  { kind: 'auth_failure', pattern: /^VERIFY CRL: .* is revoked$/, user: (m) => leafCertificateCn(m.input) },
  { kind: 'auth_failure', pattern: /^OpenSSL: .*certificate verify failed/ },
  { kind: 'auth_failure', pattern: /^TLS Auth Error\b/, user: (m) => quotedUser(m.input) },
  {
    kind: 'auth_failure',
    pattern: /^TLS: Username\/auth-token authentication failed/,
    user: (m) => quotedUser(m.input),
  },
  {
    kind: 'auth_failure',
    pattern: /^SENT CONTROL \[(.*)\]: 'AUTH_FAILED(?:,[^']*)?' \(status=\d+\)$/,
    user: (m) => (m[1] === 'UNDEF' ? undefined : m[1]),
  },
  { kind: 'tls_error', pattern: /^TLS[ _](?:Error|ERROR)\b/ },
  { kind: 'tls_error', pattern: /^OpenSSL: error\b/ },
];

/** Where a security message starts: at the beginning, or after a client prefix and a space. */
const SECURITY_MESSAGE = new RegExp(
  `(?:^|\\s)(?=${SECURITY_RULES.map((rule) => rule.pattern.source.slice(1)).join('|')})`
);

function securitySignal(message: string): SecuritySignal | null {
  const marker = SECURITY_MESSAGE.exec(message);
  if (!marker) {
    return null;
  }
  const prefix = message.slice(0, marker.index);
  const body = message.slice(marker.index + marker[0].length);
  for (const rule of SECURITY_RULES) {
    const match = rule.pattern.exec(body);
    if (match) {
      const peer = prefix === '' ? peerFromSocketAddress(body) : peerFromPrefix(prefix);
      if (prefix !== '' && peer === null) {
        return null;
      }
      const user = rule.user?.(match) ?? peer?.commonName;
      return { kind: rule.kind, peer, ...(user !== undefined ? { user } : {}), detail: body };
    }
  }
  return null;
}

const POOL_V4 = /^IFCONFIG POOL IPv4: base=(\S+) size=(\d+)$/;
const POOL_V24 = /^IFCONFIG POOL: base=(\S+) size=(\d+), ipv6=\d+$/;
const PEER_INFO = /^(.*) peer info: ([A-Za-z0-9_]+)=(.*)$/;

/** What one log message tells a monitor, or null when it tells nothing of interest. */
export function classifyLogMessage(message: string): LogFact | null {
  if (message.startsWith('Initialization Sequence Completed')) {
    return { kind: 'server_restart', detail: message };
  }
  const pool = POOL_V4.exec(message) ?? POOL_V24.exec(message);
  if (pool) {
    return { kind: 'pool_size', base: pool[1], size: Number(pool[2]) };
  }
  const peerInfo = PEER_INFO.exec(message);
  if (peerInfo) {
    const peer = peerFromPrefix(peerInfo[1]);
    return peer ? { kind: 'peer_info', peer, key: peerInfo[2], value: peerInfo[3] } : null;
  }
  const signal = securitySignal(message);
  return signal ? { kind: 'security', signal } : null;
}
