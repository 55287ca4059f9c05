/**
 * Recognises the pppd and pptpd messages a session is built from, by the format strings in the
 * ppp and pptpd sources (see shared/docs/SOURCES.md). Anything else a pppd says (with `debug`,
 * every packet) is not ours and gives null, cheaply: each message is dispatched on its first
 * character before any regular expression runs. A message that starts like a known one but does
 * not finish like it (cut off, or garbled by a torn write) is `malformed`, so it can be counted.
 */

export type AuthMethod = 'PAP' | 'CHAP' | 'EAP';

/** Why a link went down, in the order of precedence pppd's own lines allow. */
export type PppdEndReason =
  | 'peer-terminated' // LCP terminated by peer: the client disconnected
  | 'hangup' // Modem hangup: pptpd closed the call (control connection or GRE lost)
  | 'echo-timeout' // No response to N echo-requests: the client vanished
  | 'idle-timeout'
  | 'connect-time-limit'
  | 'signal' // Terminating on signal N: pppd was killed or the server shut down
  | 'terminated' // only `Connection terminated.` was logged
  | 'lost'; // no `Exit.` ever came: the PID or interface was taken by a later pppd

export type PppdMessage =
  | { kind: 'start'; version: string }
  | { kind: 'interface'; name: string; tty?: string }
  | { kind: 'calling-number'; number: string }
  | { kind: 'auth-success'; user: string; method: AuthMethod }
  | { kind: 'auth-failure'; user: string; method: AuthMethod; detail: string }
  | { kind: 'ip-up'; name: string; user: string; callingNumber: string }
  | { kind: 'local-ip'; ip: string }
  | { kind: 'remote-ip'; ip: string }
  | { kind: 'end-reason'; reason: PppdEndReason }
  | { kind: 'connect-time'; seconds: number }
  | { kind: 'bytes'; sent: number; received: number }
  | { kind: 'exit' }
  | { kind: 'malformed'; expected: string };

export type PptpdMessage =
  | { kind: 'control-started'; clientIp: string }
  | { kind: 'control-finished'; clientIp: string }
  | { kind: 'reaping'; pppdPid: number }
  | { kind: 'malformed'; expected: string };

const START = /^pppd (\S+) started by .*, uid \d+$/;
const USING_INTERFACE = /^Using interface (\S+)$/;
const CONNECT = /^Connect: (\S+) <--> (\S+)$/;
const CONNECT_TIME = /^Connect time (\d+)\.(\d) minutes\.$/;
const CALLING_NUMBER = /^peer from calling number (.+) authorized$/;
const IP_UP = /^pptpd-logwtmp\.so ip-up (\S+) (.*) (\S+)$/;
const PAP_RESULT = /^PAP peer authentication (succeeded|failed) for (.*)$/;
const PEER_AUTHENTICATED = /^Peer (.*) authenticated with (CHAP|PAP|EAP)$/;
const PEER_FAILED = /^Peer (.*) failed CHAP (authentication|Session verification)$/;
const EAP_FAILURE = /^EAP: MSCHAPv2 failure for peer (.*)$/;
const TUNNEL_IP = /^(?:local {1,2}|remote )IP address (\S+)$/;
const BYTES = /^Sent (\d+) bytes, received (\d+) bytes\.$/;
const CONTROL = /^CTRL: Client (\S+) control connection (started|finished)$/;
const REAPING = /^CTRL: Reaping child PPP\[(\d+)\]$/;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIpv4(text: string): boolean {
  const match = IPV4.exec(text);
  return match !== null && match.slice(1).every((octet) => Number(octet) <= 255);
}

function malformed(expected: string): PppdMessage & PptpdMessage {
  return { kind: 'malformed', expected };
}

/**
 * pppd's `%q` escapes `"` and `\` with a backslash and control characters as `\t`, `\n`, `\b`,
 * `\f` or `\xHH` (pppd/utils.c); undo that so `DOMAIN\\user` reads `DOMAIN\user`.
 */
export function unescapePppdQuoted(text: string): string {
  if (!text.includes('\\')) {
    return text;
  }
  return text.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, escaped: string) => {
    switch (escaped[0]) {
      case 'x':
        return String.fromCharCode(parseInt(escaped.slice(1), 16));
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      default:
        return escaped;
    }
  });
}

export function classifyPppdMessage(message: string): PppdMessage | null {
  switch (message.charCodeAt(0)) {
    case 112 /* p */:
      return classifyLowerP(message);
    case 85 /* U */:
      return match(message, 'Using interface ', USING_INTERFACE, 'Using interface', (m) => ({
        kind: 'interface',
        name: m[1],
      }));
    case 67 /* C */:
      return classifyUpperC(message);
    case 80 /* P */:
      return classifyUpperP(message);
    case 69 /* E */:
      if (message === 'Exit.') {
        return { kind: 'exit' };
      }
      return match(message, 'EAP: MSCHAPv2 failure for peer ', EAP_FAILURE, 'EAP failure', (m) =>
        authFailure(m[1], 'EAP', 'MSCHAPv2 failure')
      );
    case 108 /* l */:
      return message.startsWith('local  IP') || message.startsWith('local IP') ? tunnelIp(message, 'local-ip') : null;
    case 114 /* r */:
      return message.startsWith('remote IP') ? tunnelIp(message, 'remote-ip') : null;
    case 83 /* S */:
      if (message === 'Serial link appears to be disconnected.') {
        return { kind: 'end-reason', reason: 'echo-timeout' };
      }
      return match(message, 'Sent ', BYTES, 'Sent/received', (m) => ({
        kind: 'bytes',
        sent: Number(m[1]),
        received: Number(m[2]),
      }));
    case 76 /* L */:
      return message.startsWith('LCP terminated by peer') ? { kind: 'end-reason', reason: 'peer-terminated' } : null;
    case 77 /* M */:
      return message === 'Modem hangup' ? { kind: 'end-reason', reason: 'hangup' } : null;
    case 78 /* N */:
      return /^No response to \d+ echo-requests$/.test(message) ? { kind: 'end-reason', reason: 'echo-timeout' } : null;
    case 84 /* T */:
      if (message.startsWith('Terminating on signal ')) {
        return { kind: 'end-reason', reason: 'signal' };
      }
      return message === 'Terminating connection due to lack of activity.'
        ? { kind: 'end-reason', reason: 'idle-timeout' }
        : null;
    default:
      return null;
  }
}

function classifyLowerP(message: string): PppdMessage | null {
  if (message.startsWith('pppd ')) {
    // other `pppd ...` lines exist (`pppd options in effect:`); only a cut-off start line is malformed
    if (!message.includes(' started by') && message.length > 'pppd 2.4.9 started'.length) {
      return null;
    }
    return match(message, 'pppd ', START, 'pppd started by', (m) => ({ kind: 'start', version: m[1] }));
  }
  if (message.startsWith('peer from calling number ')) {
    return match(message, '', CALLING_NUMBER, 'calling number', (m) => ({
      kind: 'calling-number',
      number: unescapePppdQuoted(m[1]),
    }));
  }
  return match(message, 'pptpd-logwtmp.so ip-up ', IP_UP, 'pptpd-logwtmp ip-up', (m) =>
    isIpv4(m[3]) ? { kind: 'ip-up', name: m[1], user: m[2], callingNumber: m[3] } : malformed('pptpd-logwtmp ip-up')
  );
}

function classifyUpperC(message: string): PppdMessage | null {
  if (message === 'Connection terminated.') {
    return { kind: 'end-reason', reason: 'terminated' };
  }
  if (message === 'Connect time expired') {
    return { kind: 'end-reason', reason: 'connect-time-limit' };
  }
  if (message.startsWith('Connect time ')) {
    return match(message, '', CONNECT_TIME, 'Connect time', (m) => ({
      kind: 'connect-time',
      seconds: (Number(m[1]) * 10 + Number(m[2])) * 6,
    }));
  }
  return match(message, 'Connect: ', CONNECT, 'Connect:', (m) => ({ kind: 'interface', name: m[1], tty: m[2] }));
}

function classifyUpperP(message: string): PppdMessage | null {
  if (message.startsWith('PAP peer authentication ')) {
    return match(message, '', PAP_RESULT, 'PAP peer authentication', (m) =>
      m[1] === 'succeeded'
        ? { kind: 'auth-success', user: unescapePppdQuoted(m[2]), method: 'PAP' }
        : authFailure(m[2], 'PAP', 'PAP authentication failed')
    );
  }
  if (!message.startsWith('Peer ')) {
    return null;
  }
  const authenticated = PEER_AUTHENTICATED.exec(message);
  if (authenticated) {
    return { kind: 'auth-success', user: unescapePppdQuoted(authenticated[1]), method: authenticated[2] as AuthMethod };
  }
  const failed = PEER_FAILED.exec(message);
  if (failed) {
    return authFailure(
      failed[1],
      'CHAP',
      failed[2] === 'authentication' ? 'CHAP authentication failed' : 'CHAP session verification failed'
    );
  }
  return null;
}

function authFailure(quotedUser: string, method: AuthMethod, detail: string): PppdMessage {
  return { kind: 'auth-failure', user: unescapePppdQuoted(quotedUser), method, detail };
}

function tunnelIp(message: string, kind: 'local-ip' | 'remote-ip'): PppdMessage {
  const m = TUNNEL_IP.exec(message);
  return m !== null && isIpv4(m[1])
    ? { kind, ip: m[1] }
    : malformed(kind === 'local-ip' ? 'local IP address' : 'remote IP address');
}

/** Messages that start with `prefix` must match `pattern` in full; one that does not is a malformed `expected`. */
function match(
  message: string,
  prefix: string,
  pattern: RegExp,
  expected: string,
  build: (m: RegExpExecArray) => PppdMessage
): PppdMessage | null {
  if (!message.startsWith(prefix)) {
    return null;
  }
  const m = pattern.exec(message);
  return m !== null ? build(m) : malformed(expected);
}

export function classifyPptpdMessage(message: string): PptpdMessage | null {
  if (!message.startsWith('CTRL: ')) {
    return null;
  }
  if (message.startsWith('CTRL: Client ')) {
    const m = CONTROL.exec(message);
    if (m === null || !isIpv4(m[1])) {
      return malformed('CTRL: Client control connection');
    }
    return { kind: m[2] === 'started' ? 'control-started' : 'control-finished', clientIp: m[1] };
  }
  if (message.startsWith('CTRL: Reaping child PPP[')) {
    const m = REAPING.exec(message);
    return m === null ? malformed('CTRL: Reaping child') : { kind: 'reaping', pppdPid: Number(m[1]) };
  }
  return null;
}
