import { PerHost } from './per-host';
import { counterBitsOf, PPPD_COUNTER_MODULUS } from './pppd-counters';
import { classifyPppdMessage, classifyPptpdMessage, type AuthMethod, type PppdEndReason } from './pppd-message';
import type { PptpdAuthFailure, PptpdOutput, PptpdSession } from './pptpd-records';
import { ControlConnections, type ControlConnection } from './pptpd-calls';
import { isTorn, parseSyslogLine, type SyslogEntry } from './syslog-line';
import type { SyslogYearInferrer } from './syslog-year';

interface Pppd {
  session: PptpdSession;
  opened: boolean;
  changed: boolean;
}

/** Everything the assembler remembers, as plain data: save it with the read offset to resume after a restart. */
export interface PptpdAssemblerState {
  pppds: Array<{ session: PptpdSession; opened: boolean }>;
  controlConnections: ControlConnection[];
  ignoredUntilExit: Array<{ host: string; pid: number }>;
}

const NO_OUTPUT: readonly PptpdOutput[] = Object.freeze([]);

/**
 * Builds PPTP sessions from pppd and pptpd syslog lines, keyed by host + pppd PID. Pure: lines in,
 * records out, no clock. A PID's key lives from its `started by` line to its `Exit.`; lines for a
 * PID without a start never make a session (they are counted once per PID as an issue).
 */
export class PppdSessionAssembler {
  private readonly pppds = new PerHost<number, Pppd>();
  private readonly interfaces = new PerHost<string, Pppd>();
  private readonly controls: ControlConnections;
  /** PIDs whose lines mean nothing to us until their `Exit.`: no start seen, or their session was closed early. */
  private readonly ignoredUntilExit = new PerHost<number, true>();

  constructor(state?: PptpdAssemblerState) {
    for (const { session, opened } of state?.pppds ?? []) {
      const pppd: Pppd = { session: { ...session }, opened, changed: false };
      this.pppds.set(session.host, session.pid, pppd);
      if (session.interface !== undefined) {
        this.interfaces.set(session.host, session.interface, pppd);
      }
    }
    this.controls = new ControlConnections(state?.controlConnections);
    for (const { host, pid } of state?.ignoredUntilExit ?? []) {
      this.ignoredUntilExit.set(host, pid, true);
    }
  }

  /**
   * One raw log line. Lines that mention neither pppd nor pptpd are skipped before any parsing,
   * which is what makes a backfill of mostly other programs' lines fast.
   */
  acceptLine(text: string, line: number, years: SyslogYearInferrer): readonly PptpdOutput[] {
    if (text.indexOf('pppd') < 0 && text.indexOf('pptpd') < 0) {
      return NO_OUTPUT;
    }
    if (isPacketDump(text)) {
      return NO_OUTPUT;
    }
    const result = parseSyslogLine(text, years);
    if (result === null) {
      return text.includes('pppd[') || text.includes('pptpd[')
        ? [issue(line, 'a pppd/pptpd line without its syslog header (torn by a crash or rotation?)')]
        : NO_OUTPUT;
    }
    if (isTorn(result)) {
      return [issue(line, `torn line: ${result.torn}`)];
    }
    return this.accept(result, line);
  }

  accept(entry: SyslogEntry, line: number): readonly PptpdOutput[] {
    if (entry.pid === null) {
      return NO_OUTPUT;
    }
    if (entry.program === 'pppd') {
      return this.acceptPppd(entry, entry.pid, line);
    }
    return entry.program === 'pptpd' ? this.acceptPptpd(entry, entry.pid, line) : NO_OUTPUT;
  }

  /** Sessions whose link is up and whose pppd has not exited: read their interfaces' counters. */
  openSessions(): PptpdSession[] {
    return this.pppds
      .all()
      .filter((pppd) => pppd.opened)
      .map((pppd) => ({ ...pppd.session }));
  }

  state(): PptpdAssemblerState {
    return {
      pppds: this.pppds.all().map(({ session, opened }) => ({ session: { ...session }, opened })),
      controlConnections: this.controls.list(),
      ignoredUntilExit: this.ignoredUntilExit.entries().map(([host, pid]) => ({ host, pid })),
    };
  }

  private acceptPppd(entry: SyslogEntry, pid: number, line: number): readonly PptpdOutput[] {
    const message = classifyPppdMessage(entry.message);
    if (message === null) {
      return NO_OUTPUT;
    }
    const { host, timestamp: ts } = entry;
    if (message.kind === 'malformed') {
      return [issue(line, `pppd[${pid}]: "${message.expected}" line is cut short or garbled`)];
    }
    const out: PptpdOutput[] = [];
    if (message.kind === 'start') {
      this.start(host, pid, ts, message.version, line, out);
      return out;
    }
    const pppd = this.pppds.get(host, pid);
    if (pppd === undefined) {
      return this.ignore(host, pid, message.kind === 'exit', line);
    }
    const session = pppd.session;
    session.lastSeenAt = ts;
    switch (message.kind) {
      case 'interface':
        this.bindInterface(pppd, message.name, line, out);
        set(pppd, 'tty', message.tty ?? session.tty);
        break;
      case 'calling-number':
        set(pppd, 'callingNumber', message.number);
        break;
      case 'auth-success':
        set(pppd, 'user', message.user);
        set(pppd, 'authMethod', message.method);
        break;
      case 'auth-failure':
        out.push({ kind: 'auth-failure', failure: authFailure(session, ts, message) });
        break;
      case 'ip-up':
        this.bindInterface(pppd, message.name, line, out);
        set(pppd, 'user', message.user === '' ? session.user : message.user);
        set(pppd, 'callingNumber', message.callingNumber);
        pppd.opened ||= announceOpen(pppd, out);
        break;
      case 'local-ip':
        set(pppd, 'localIp', message.ip);
        break;
      case 'remote-ip':
        set(pppd, 'remoteIp', message.ip);
        pppd.opened ||= announceOpen(pppd, out);
        break;
      case 'end-reason':
        // the first specific reason wins; `Connection terminated.` only when nothing better came
        if (session.endReason === undefined || session.endReason === 'terminated') {
          session.endReason = message.reason;
        }
        break;
      case 'connect-time':
        session.connectSeconds = message.seconds;
        break;
      case 'bytes':
        session.bytesOut = message.sent;
        session.bytesIn = message.received;
        if (message.sent >= PPPD_COUNTER_MODULUS || message.received >= PPPD_COUNTER_MODULUS) {
          session.counterBits = 64; // a patched pppd that prints 64-bit counts
        }
        break;
      case 'exit':
        this.close(pppd, ts, 'terminated', out);
        return out;
    }
    announceUpdate(pppd, out);
    return out;
  }

  private start(host: string, pid: number, ts: number, version: string, line: number, out: PptpdOutput[]): void {
    const previous = this.pppds.get(host, pid);
    if (previous !== undefined) {
      out.push(
        issue(line, `pppd[${pid}] on ${host} started again without an "Exit." line: closing its earlier session`)
      );
      this.close(previous, previous.session.lastSeenAt, 'lost', out);
    }
    this.ignoredUntilExit.delete(host, pid);
    const session: PptpdSession = {
      key: `${host}:${pid}:${ts}`,
      host,
      pid,
      pppdVersion: version,
      startedAt: ts,
      lastSeenAt: ts,
      counterBits: counterBitsOf(version),
    };
    const control = this.controls.claim(host, pid, ts);
    if (control !== undefined) {
      session.callingNumber = control.clientIp;
    }
    this.pppds.set(host, pid, { session, opened: false, changed: false });
  }

  /**
   * An interface name belongs to one pppd at a time: a new holder means the old pppd is gone.
   * One that had logged an end reason was shutting down (its counts are printed before the
   * kernel frees the name) and only its `Exit.` is still to come; one that had not vanished
   * without a trace. Either way its remaining lines are ignored until that `Exit.`.
   */
  private bindInterface(pppd: Pppd, name: string, line: number, out: PptpdOutput[]): void {
    const { host } = pppd.session;
    const holder = this.interfaces.get(host, name);
    if (holder !== undefined && holder !== pppd) {
      const { pid, endReason } = holder.session;
      if (endReason === undefined) {
        out.push(
          issue(
            line,
            `${name} on ${host} taken by pppd[${pppd.session.pid}] while pppd[${pid}] had logged no end: closing pppd[${pid}]'s session as lost`
          )
        );
      }
      this.close(holder, holder.session.lastSeenAt, 'lost', out);
      this.ignoredUntilExit.set(host, pid, true);
    }
    this.interfaces.set(host, name, pppd);
    set(pppd, 'interface', name);
  }

  private close(pppd: Pppd, endedAt: number, fallbackReason: PppdEndReason, out: PptpdOutput[]): void {
    const { session } = pppd;
    this.pppds.delete(session.host, session.pid);
    if (session.interface !== undefined && this.interfaces.get(session.host, session.interface) === pppd) {
      this.interfaces.delete(session.host, session.interface);
    }
    if (pppd.opened) {
      session.endedAt = endedAt;
      session.endReason ??= fallbackReason;
      out.push({ kind: 'closed', session: { ...session } });
    }
  }

  /** Reported once per PID until its `Exit.`, so a mid-session log start costs one issue, not hundreds. */
  private ignore(host: string, pid: number, isExit: boolean, line: number): readonly PptpdOutput[] {
    const reported = this.ignoredUntilExit.has(host, pid);
    if (isExit) {
      this.ignoredUntilExit.delete(host, pid);
    } else {
      this.ignoredUntilExit.set(host, pid, true);
    }
    return reported
      ? NO_OUTPUT
      : [
          issue(
            line,
            `pppd[${pid}] on ${host} has no "pppd ... started by" line (did the log start mid-session?): its lines are ignored`
          ),
        ];
  }

  private acceptPptpd(entry: SyslogEntry, pid: number, line: number): readonly PptpdOutput[] {
    const message = classifyPptpdMessage(entry.message);
    if (message === null) {
      return NO_OUTPUT;
    }
    const { host, timestamp: ts } = entry;
    switch (message.kind) {
      case 'malformed':
        return [issue(line, `pptpd[${pid}]: "${message.expected}" line is cut short or garbled`)];
      case 'control-started':
        this.controls.started(host, pid, message.clientIp, ts);
        return NO_OUTPUT;
      case 'control-finished':
        this.controls.finished(host, pid);
        return NO_OUTPUT;
      case 'reaping': {
        // pptpd names its pppd only at the end; that settles a call the start-time guess missed
        const control = this.controls.reaped(host, pid, message.pppdPid);
        const pppd = this.pppds.get(host, message.pppdPid);
        if (control === undefined || pppd === undefined || pppd.session.callingNumber !== undefined) {
          return NO_OUTPUT;
        }
        set(pppd, 'callingNumber', control.clientIp);
        const out: PptpdOutput[] = [];
        announceUpdate(pppd, out);
        return out;
      }
    }
  }
}

type Detail = 'interface' | 'tty' | 'callingNumber' | 'user' | 'authMethod' | 'localIp' | 'remoteIp';

function set<F extends Detail>(pppd: Pppd, field: F, value: PptpdSession[F]): void {
  if (pppd.session[field] !== value) {
    pppd.session[field] = value;
    pppd.changed = true;
  }
}

/** Emits `opened` once; returns true so callers can latch `opened`. */
function announceOpen(pppd: Pppd, out: PptpdOutput[]): boolean {
  if (!pppd.opened) {
    out.push({ kind: 'opened', session: { ...pppd.session } });
    pppd.changed = false;
  }
  return true;
}

function announceUpdate(pppd: Pppd, out: PptpdOutput[]): void {
  if (pppd.opened && pppd.changed) {
    out.push({ kind: 'updated', session: { ...pppd.session } });
  }
  pppd.changed = false;
}

function authFailure(
  session: PptpdSession,
  ts: number,
  message: { user: string; method: AuthMethod; detail: string }
): PptpdAuthFailure {
  const failure: PptpdAuthFailure = {
    ts,
    host: session.host,
    pid: session.pid,
    sessionKey: session.key,
    user: message.user,
    method: message.method,
    detail: message.detail,
  };
  if (session.callingNumber !== undefined) {
    failure.callingNumber = session.callingNumber;
  }
  return failure;
}

/**
 * With `debug`, pppd logs every control packet it sends or receives (`sent [LCP EchoReq ...]`,
 * `rcvd [CHAP Response ...]`): most lines of a busy log, none of them part of a session. Only
 * the message right after the first `]: ` (the PID's) counts, so a user name cannot hide a line.
 */
function isPacketDump(text: string): boolean {
  const tag = text.indexOf(']: ');
  return tag > 0 && (text.startsWith('sent [', tag + 3) || text.startsWith('rcvd [', tag + 3));
}

function issue(line: number, message: string): PptpdOutput {
  return { kind: 'issue', issue: { line, message } };
}
