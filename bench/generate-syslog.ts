/**
 * Writes a syslog of a given size the way a busy Debian pptpd server with `debug` on fills one,
 * second by second: about 30 users connected at once (sessions of an hour on average, on
 * ppp0..N, PIDs reused after 32768), each pppd logging its LCP echo request and reply every 60 s,
 * and other programs' lines (cron, sshd, firewall, systemd, postfix) at half a line a second:
 * about 1.7 lines (180 bytes) a second, 50 sessions per MiB. Deterministic for a seed; classic
 * timestamps in UTC within one year. Every session ends before the file does and every login
 * succeeds: under Python 3 pptpd-monitor crashes on a session still open (its ifconfig parsing)
 * and on a failed login (it sorts None among names), and the comparison needs it to finish.
 */
import fs from 'node:fs';

export interface GeneratedSyslog {
  bytes: number;
  lines: number;
  sessions: number;
  /** Unix seconds of the last line: the file's mtime. */
  endsAt: number;
}

interface OpenSession {
  pid: number;
  controlPid: number;
  ppp: number;
  user: string;
  client: string;
  tunnel: string;
  startedAt: number;
  sent: number;
  received: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HOST = 'vpn1';
const USERS = Array.from({ length: 300 }, (_, i) => `user${String(i).padStart(3, '0')}`);
const FLUSH_BYTES = 1 << 20;
const ECHO_SECONDS = 60;
const MEAN_SESSION_SECONDS = 3600;
const CONNECTED_AT_ONCE = 30;
const OTHER_LINES_PER_SECOND = 0.5;

/** mulberry32: small, fast, good enough to shuffle log lines. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const two = (n: number) => String(n).padStart(2, '0');

function stamp(unix: number): string {
  const d = new Date(unix * 1000);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[d.getUTCMonth()]} ${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** Writes about `targetBytes` to `file` (read its timestamps as UTC). */
export function generateSyslog(file: string, targetBytes: number, seed = 7): GeneratedSyslog {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const hex = (digits: number) =>
    Math.floor(next() * 16 ** digits)
      .toString(16)
      .padStart(digits, '0');
  const octet = () => 1 + Math.floor(next() * 250);
  const fd = fs.openSync(file, 'w');
  let chunk = '';
  let bytes = 0;
  let lines = 0;
  let sessions = 0;
  let now = Date.UTC(2026, 0, 1) / 1000;
  let prefix = '';
  let lastPid = 1000;
  const usedPids = new Set<number>();
  const usedPpp = new Set<number>();
  /** Open sessions by the second of the minute they echo at, and by the second they end. */
  const echoing: OpenSession[][] = Array.from({ length: ECHO_SECONDS }, () => []);
  const ending = new Map<number, OpenSession[]>();
  let connected = 0;

  const emit = (program: string, pid: number | null, message: string) => {
    chunk += `${prefix}${program}${pid === null ? '' : `[${pid}]`}: ${message}\n`;
    lines++;
    if (chunk.length >= FLUSH_BYTES) {
      bytes += fs.writeSync(fd, chunk);
      chunk = '';
    }
  };
  /** The next PID no session holds; `hold` keeps it until the session ends. */
  const nextPid = (hold: boolean) => {
    do {
      lastPid = lastPid >= 32_767 ? 300 : lastPid + 1;
    } while (usedPids.has(lastPid));
    if (hold) {
      usedPids.add(lastPid);
    }
    return lastPid;
  };

  const other = () => {
    const choice = next();
    const address = `198.18.${octet()}.${octet()}`;
    if (choice < 0.25) {
      emit('CRON', nextPid(false), '(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)');
    } else if (choice < 0.45) {
      const port = 10_000 + Math.floor(next() * 50_000);
      emit('sshd', nextPid(false), `Failed password for invalid user admin from ${address} port ${port} ssh2`);
    } else if (choice < 0.65) {
      const mac = `52:54:00:${hex(2)}:${hex(2)}:${hex(2)}`;
      const id = Math.floor(next() * 65_535);
      emit(
        'kernel',
        null,
        `[UFW BLOCK] IN=eth0 OUT= MAC=${mac} SRC=${address} DST=198.19.255.1 LEN=44 TOS=0x00 PREC=0x00 TTL=242 ID=${id} PROTO=TCP SPT=${id} DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0`
      );
    } else if (choice < 0.85) {
      emit('systemd', 1, `Started session-${Math.floor(next() * 9999)}.scope - Session of User admin.`);
    } else {
      emit('postfix/smtpd', nextPid(false), `connect from unknown[${address}]`);
    }
  };

  const start = () => {
    const controlPid = nextPid(true);
    const pid = nextPid(true);
    let ppp = 0;
    while (usedPpp.has(ppp)) {
      ppp++;
    }
    usedPpp.add(ppp);
    const session: OpenSession = {
      pid,
      controlPid,
      ppp,
      user: pick(USERS),
      client: `198.18.${octet()}.${octet()}`,
      tunnel: `198.19.${Math.floor(ppp / 240)}.${10 + (ppp % 240)}`,
      startedAt: now,
      sent: 0,
      received: 0,
    };
    const p = (message: string) => emit('pppd', pid, message);
    emit('pptpd', controlPid, `CTRL: Client ${session.client} control connection started`);
    emit('pptpd', controlPid, 'CTRL: Starting call (launching pppd, opening GRE)');
    p('Plugin /usr/lib/pptpd/pptpd-logwtmp.so loaded.');
    p('pppd 2.4.9 started by root, uid 0');
    p(`Using interface ppp${ppp}`);
    p(`Connect: ppp${ppp} <--> /dev/pts/${ppp}`);
    p(`sent [LCP ConfReq id=0x1 <asyncmap 0x0> <auth chap MS-v2> <magic 0x${hex(8)}> <pcomp> <accomp>]`);
    p(`rcvd [CHAP Response id=0x${hex(2)} <${hex(12)}${hex(12)}${hex(12)}${hex(12)}>, name = "${session.user}"]`);
    p(`sent [CHAP Success id=0x${hex(2)} "S=${hex(12)}${hex(12)}${hex(12)} M=Access granted"]`);
    p(`peer from calling number ${session.client} authorized`);
    p('MPPE 128-bit stateless compression enabled');
    p('local  IP address 198.19.255.1');
    p(`remote IP address ${session.tunnel}`);
    p(`pptpd-logwtmp.so ip-up ppp${ppp} ${session.user} ${session.client}`);
    echoing[now % ECHO_SECONDS].push(session);
    const endsAt = now + 60 + Math.floor(-Math.log(1 - next()) * MEAN_SESSION_SECONDS);
    ending.set(endsAt, [...(ending.get(endsAt) ?? []), session]);
    connected++;
    sessions++;
  };

  const echo = (session: OpenSession) => {
    const id = hex(2);
    emit('pppd', session.pid, `sent [LCP EchoReq id=0x${id} magic=0x${hex(8)}]`);
    emit('pppd', session.pid, `rcvd [LCP EchoRep id=0x${id} magic=0x${hex(8)}]`);
    session.sent += Math.floor(next() * 4_000_000);
    session.received += Math.floor(next() * 600_000);
  };

  const end = (session: OpenSession) => {
    const bucket = echoing[session.startedAt % ECHO_SECONDS];
    bucket.splice(bucket.indexOf(session), 1);
    const p = (message: string) => emit('pppd', session.pid, message);
    p('LCP terminated by peer');
    p(`Connect time ${((now - session.startedAt) / 60).toFixed(1)} minutes.`);
    p(`Sent ${session.sent % 2 ** 32} bytes, received ${session.received % 2 ** 32} bytes.`);
    p(`pptpd-logwtmp.so ip-down ppp${session.ppp}`);
    emit('pptpd', session.controlPid, `CTRL: Reaping child PPP[${session.pid}]`);
    p('Modem hangup');
    p('Connection terminated.');
    p('Exit.');
    emit('pptpd', session.controlPid, `CTRL: Client ${session.client} control connection finished`);
    usedPids.delete(session.pid);
    usedPids.delete(session.controlPid);
    usedPpp.delete(session.ppp);
    connected--;
  };

  const second = (arrivals: boolean) => {
    prefix = `${stamp(now)} ${HOST} `;
    if (next() < OTHER_LINES_PER_SECOND) {
      other();
    }
    if (arrivals && next() < CONNECTED_AT_ONCE / MEAN_SESSION_SECONDS) {
      start();
    }
    echoing[now % ECHO_SECONDS].filter((session) => session.startedAt !== now).forEach(echo);
    ending.get(now)?.forEach(end);
    ending.delete(now);
    now++;
  };

  while (bytes + chunk.length < targetBytes) {
    second(true);
  }
  while (connected > 0) {
    second(false);
  }
  bytes += fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  fs.utimesSync(file, now, now);
  return { bytes, lines, sessions, endsAt: now };
}
