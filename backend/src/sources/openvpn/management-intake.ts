import type { ObservedSession, ParseIssue } from '../../model';
import type { ManagementNotification } from '../../parsers/management-protocol';
import { classifyLogMessage, parseLogEntry, type LogEntry } from '../../parsers/management-log';
import { clientInfoFromPeerInfo } from '../../parsers/peer-info';
import { parseStatus } from '../../parsers/openvpn-status';
import { SecurityEventFolder, type SecurityEvent } from '../../parsers/security-event-folder';
import type { LiveSession } from '../../tracker/snapshot-diff';
import type { ClientCounter, PollSummary, SessionTracker } from '../../tracker/session-tracker';
import type { LogCursor } from './management-log-cursor';
import { observedSession } from './observed-sessions';

export interface ManagementIntakeOptions {
  server: string;
  tracker: SessionTracker;
  cursor: LogCursor;
  /** A pool size the server reported before (its IFCONFIG POOL line may have left OpenVPN's log cache since). */
  poolSize?: number;
  /** A live log line says the server re-initialised in place (SIGHUP): its client ids start again from 0. */
  onServerRestart?: () => void;
}

export interface StatusOutcome {
  summary: PollSummary;
  issues: ParseIssue[];
}

/** Peer info in the log waits this long for its session to show up in a status reply. */
const PEER_INFO_SECONDS = 300;

/**
 * What one server's management interface says, turned into tracker calls; no IO and no clock
 * (callers pass `ts`), shared by the stream and poll modes. Client ids are only trusted after a
 * `status` reply of the current connection has been applied: after a reconnect or a restart of
 * the server they start again from 0, and the tracker would credit a new session's bytes, or
 * app, to the old session that had the same id.
 */
export class ManagementIntake {
  private readonly folder = new SecurityEventFolder();
  private readonly counters = new Map<number, ClientCounter>();
  private readonly peerInfo = new Map<string, { env: Record<string, string>; at: number }>();
  private heldClientInfo: Array<{ clientId: number; env: Record<string, string> }> = [];
  private clientIdsTrusted = false;
  /** Live log lines that arrive while the history reply is still being handled, to keep their order. */
  private liveLogBacklog: LogEntry[] | null = null;
  private poolSize: number | undefined;

  constructor(private readonly options: ManagementIntakeOptions) {
    this.poolSize = options.poolSize;
  }

  /** A new connection: nothing it sends about client ids counts before its first status reply. */
  connectionStarted(): void {
    this.clientIdsTrusted = false;
    this.counters.clear();
    this.heldClientInfo = [];
    this.liveLogBacklog = null;
  }

  /** Applies a `status 3` reply (its lines, END excluded) as the server's snapshot at `ts`. */
  status(lines: readonly string[], ts: number): StatusOutcome {
    const { value: report, issues } = parseStatus(`${lines.join('\n')}\nEND\n`, { routes: false });
    // Counts that came before this reply are older than it: applied after it, they would look like a reset.
    this.flushCounters(ts);
    const { server, tracker } = this.options;
    const live = tracker.liveSessions(server);
    const sessions = report.clients.map((client) => notBehindCounts(observedSession(client), live));
    const summary = tracker.applySnapshot({ server, ts, sessions, poolSize: this.poolSize });
    this.clientIdsTrusted = true;
    for (const { clientId, env } of this.heldClientInfo.splice(0)) {
      tracker.setClientInfo(server, clientId, clientInfoFromPeerInfo(env), ts);
    }
    for (const session of sessions) {
      const info = this.peerInfo.get(session.realAddress);
      if (info && session.clientId !== undefined) {
        this.peerInfo.delete(session.realAddress);
        tracker.setClientInfo(server, session.clientId, clientInfoFromPeerInfo(info.env), ts);
      }
    }
    return { summary, issues };
  }

  notification(message: ManagementNotification, ts: number): void {
    switch (message.type) {
      case 'bytecount-client':
        if (this.clientIdsTrusted) {
          this.counters.set(message.clientId, message);
        }
        return;
      case 'client-established':
        if (this.clientIdsTrusted) {
          const { server, tracker } = this.options;
          tracker.setClientInfo(server, message.clientId, clientInfoFromPeerInfo(message.env), ts);
        } else {
          this.heldClientInfo.push(message);
        }
        return;
      case 'log':
        if (this.liveLogBacklog) {
          this.liveLogBacklog.push(message);
        } else {
          this.options.cursor.passLive(message.time);
          this.logEntry(message, ts, true);
        }
        return;
      default:
    }
  }

  get hasPendingCounters(): boolean {
    return this.counters.size > 0;
  }

  /** Writes the byte counts gathered since the last flush, as one batch at `ts`. */
  flushCounters(ts: number): void {
    if (this.counters.size > 0) {
      this.options.tracker.applyCounters(this.options.server, ts, [...this.counters.values()]);
      this.counters.clear();
    }
  }

  /** Call before sending `log on all`: live lines wait until its history has been read. */
  awaitHistory(): void {
    this.liveLogBacklog = [];
  }

  /** Reads a `log on all` / `log all` history, skipping what an earlier reply already gave; returns unreadable lines. */
  history(lines: readonly string[], ts: number): ParseIssue[] {
    const { cursor } = this.options;
    const issues: ParseIssue[] = [];
    cursor.beginReplay();
    lines.forEach((line, index) => {
      const entry = parseLogEntry(line);
      if (entry === null) {
        issues.push({ line: index + 1, message: `not a log line: ${JSON.stringify(line.slice(0, 80))}` });
      } else if (cursor.isNewInReplay(entry.time)) {
        this.logEntry(entry, ts, false);
      }
    });
    const backlog = this.liveLogBacklog ?? [];
    this.liveLogBacklog = null;
    for (const entry of backlog) {
      cursor.passLive(entry.time);
      this.logEntry(entry, ts, true);
    }
    return issues;
  }

  /** Once per poll interval: records failed logins that have gone quiet, and forgets stale peer info. */
  tick(ts: number): void {
    this.recordSecurityEvents(this.folder.flush(ts));
    for (const [address, info] of this.peerInfo) {
      if (ts - info.at > PEER_INFO_SECONDS) {
        this.peerInfo.delete(address);
      }
    }
    this.options.cursor.save();
  }

  /** The connection is over: what was gathered on it is written now. */
  connectionEnded(ts: number): void {
    this.flushCounters(ts);
    this.liveLogBacklog = null;
  }

  /** The source stops: every open failed login is recorded and the log position saved. */
  finish(ts: number): void {
    this.connectionEnded(ts);
    this.recordSecurityEvents(this.folder.flushAll());
    this.options.cursor.save();
  }

  private logEntry(entry: LogEntry, ts: number, live: boolean): void {
    const fact = classifyLogMessage(entry.message);
    const { server, tracker } = this.options;
    switch (fact?.kind) {
      case 'security':
        this.recordSecurityEvents(this.folder.add(entry.time, fact.signal));
        return;
      case 'server_restart':
        tracker.recordEvent(server, { ts: entry.time, kind: 'server_restart', detail: fact.detail });
        if (live) {
          this.flushCounters(ts);
          this.clientIdsTrusted = false;
          this.options.onServerRestart?.();
        }
        return;
      case 'pool_size':
        this.poolSize = fact.size;
        return;
      case 'peer_info':
        this.addPeerInfo(fact.peer.realAddress, fact.key, fact.value, ts);
        return;
      default:
    }
  }

  /** A key seen again for the same address starts a new handshake's peer info. */
  private addPeerInfo(address: string, key: string, value: string, ts: number): void {
    let info = this.peerInfo.get(address);
    if (!info || Object.hasOwn(info.env, key)) {
      info = { env: {}, at: ts };
      this.peerInfo.set(address, info);
    }
    info.env[key] = value;
    info.at = ts;
  }

  private recordSecurityEvents(events: SecurityEvent[]): void {
    for (const event of events) {
      this.options.tracker.recordEvent(this.options.server, {
        ts: event.ts,
        kind: event.kind,
        user: event.user ?? null,
        realAddress: event.realAddress,
        detail: event.detail,
      });
    }
  }
}

/**
 * OpenVPN keeps `>BYTECOUNT_CLI` and `status` byte counts in separate counters that can differ by
 * a packet or two, and it never restarts either under one client id. So a status row a few bytes
 * below a count already applied lags behind it: taken as it is, the tracker would see a counter
 * reset and count the session's whole volume again.
 */
function notBehindCounts(session: ObservedSession, live: ReadonlyMap<string, LiveSession>): ObservedSession {
  const known = live.get(session.key);
  if (!known || (session.bytesIn >= known.bytesIn && session.bytesOut >= known.bytesOut)) {
    return session;
  }
  return {
    ...session,
    bytesIn: Math.max(session.bytesIn, known.bytesIn),
    bytesOut: Math.max(session.bytesOut, known.bytesOut),
  };
}
