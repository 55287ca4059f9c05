import type { ClientInfo, ServerSnapshot } from '../model';
import type { FinishedSession, SessionStore } from '../store/session-store';
import type { VpnEvent } from '../store/events';
import { counterDelta, diffSnapshot, sessionDetails, type LiveSession, type SnapshotDiff } from './snapshot-diff';

export interface PoolSize {
  size: number | null;
  /** How the size was found, in words: "ifconfig-pool in /etc/openvpn/server/a.conf", "IFCONFIG POOL log line". */
  source: string | null;
}

export interface PollSummary {
  server: string;
  opened: number;
  closed: number;
  active: number;
  poolSize: number | null;
}

export interface ServerState {
  name: string;
  kind: 'openvpn' | 'pptpd';
  pool: PoolSize;
  liveSessions: number;
  lastPollAt: number | null;
}

/** A cumulative byte count of one client between status polls (OpenVPN's `>BYTECOUNT_CLI`). */
export interface ClientCounter {
  clientId: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Told of every byte and event the tracker records, after it is stored: how /metrics keeps its
 * counters without querying the database at scrape time.
 */
export interface TrackerListener {
  traffic(server: string, user: string, bytesIn: number, bytesOut: number): void;
  event(server: string | null, event: VpnEvent): void;
}

/** The pool size source of a size a snapshot carried (OpenVPN's `IFCONFIG POOL` log line): exact. */
export const REPORTED_BY_SERVER = 'reported by the server';

/** How long app/platform facts wait for their session to appear in a status report. */
const PENDING_INFO_SECONDS = 300;

interface TrackedServer {
  id: number;
  name: string;
  kind: 'openvpn' | 'pptpd';
  pool: PoolSize;
  live: Map<string, LiveSession>;
  /** The same live sessions by OpenVPN client id, for byte counts and peer info that name only the id. */
  byClientId: Map<number, LiveSession>;
  /** Peer info that arrived before its session was first polled, by client id. */
  pendingInfo: Map<number, { info: ClientInfo; at: number }>;
  lastPollAt: number | null;
}

/**
 * Turns each server's successive snapshots into session lifecycle, traffic deltas and capacity
 * samples. It keeps the open sessions in memory (loaded from the store at registration, so a
 * restart of vpnscope continues the same sessions instead of opening duplicates).
 */
export class SessionTracker {
  private readonly servers = new Map<string, TrackedServer>();

  private readonly listeners: TrackerListener[] = [];

  constructor(private readonly store: SessionStore) {}

  addListener(listener: TrackerListener): void {
    this.listeners.push(listener);
  }

  registerServer(name: string, kind: 'openvpn' | 'pptpd', pool: PoolSize): number {
    const id = this.store.upsertServer(name, kind, pool.size, pool.source);
    const sessions = this.store.liveSessions(id);
    this.servers.set(name, {
      id,
      name,
      kind,
      pool,
      live: new Map(sessions.map((session) => [session.key, session])),
      byClientId: new Map(sessions.filter(hasClientId).map((session) => [session.clientId, session])),
      pendingInfo: new Map(),
      lastPollAt: this.store.lastPollAt(id),
    });
    return id;
  }

  applySnapshot(snapshot: ServerSnapshot): PollSummary {
    const server = this.server(snapshot.server);
    if (snapshot.poolSize !== undefined && snapshot.poolSize !== server.pool.size) {
      this.updatePool(server, { size: snapshot.poolSize, source: REPORTED_BY_SERVER });
    }
    const diff = diffSnapshot({ byKey: server.live, byClientId: server.byClientId }, snapshot, server.lastPollAt);
    const opened = this.store.recordPoll(server.id, snapshot.ts, diff, {
      pool: 'ipv4',
      used: diff.opened.length + diff.continued.length,
      size: server.pool.size,
    });
    for (const session of diff.closed) {
      this.forget(server, session);
    }
    for (const { live, observed, detailsChanged } of diff.continued) {
      live.bytesIn = observed.bytesIn;
      live.bytesOut = observed.bytesOut;
      live.lastSeen = snapshot.ts;
      if (detailsChanged) {
        live.details = sessionDetails(observed);
        live.user = live.details.user;
      }
    }
    for (const session of opened) {
      this.remember(server, session);
      this.applyPendingInfo(server, session, snapshot.ts);
    }
    server.lastPollAt = snapshot.ts;
    this.notifyPoll(server.name, snapshot.ts, diff, opened);
    return {
      server: server.name,
      opened: diff.opened.length,
      closed: diff.closed.length,
      active: server.live.size,
      poolSize: server.pool.size,
    };
  }

  /**
   * Byte counts between status polls. A count for a client id that no status report has shown
   * yet is dropped: the next poll opens that session and counts its bytes from zero.
   */
  applyCounters(serverName: string, ts: number, counters: ClientCounter[]): number {
    const server = this.server(serverName);
    const updates = counters.flatMap((counter) => {
      const live = server.byClientId.get(counter.clientId);
      if (!live) {
        return [];
      }
      const update = {
        live,
        bytesIn: counter.bytesIn,
        bytesOut: counter.bytesOut,
        deltaIn: counterDelta(live.bytesIn, counter.bytesIn),
        deltaOut: counterDelta(live.bytesOut, counter.bytesOut),
      };
      return [update];
    });
    this.store.recordCounters(ts, updates);
    updates.forEach(({ live, deltaIn, deltaOut }) => this.notifyTraffic(server.name, live.user, deltaIn, deltaOut));
    for (const { live, bytesIn, bytesOut } of updates) {
      live.bytesIn = bytesIn;
      live.bytesOut = bytesOut;
      live.lastSeen = ts;
    }
    return updates.length;
  }

  /** Attaches app/platform facts to a session by client id, now or as soon as a poll shows it. */
  setClientInfo(serverName: string, clientId: number, info: ClientInfo, ts: number): void {
    const server = this.server(serverName);
    const live = server.byClientId.get(clientId);
    if (live) {
      this.store.setClientInfo(live.id, info);
      return;
    }
    server.pendingInfo.set(clientId, { info, at: ts });
    for (const [id, pending] of server.pendingInfo) {
      if (ts - pending.at > PENDING_INFO_SECONDS) {
        server.pendingInfo.delete(id);
      }
    }
  }

  /**
   * A session whose end a source knows exactly (a pppd `Exit.`, a backfilled log): closes it if it
   * is live, or records it whole if it never was, with its remaining traffic.
   */
  finishSession(serverName: string, finished: FinishedSession): void {
    const server = this.server(serverName);
    const live = server.live.get(finished.session.key);
    const written = this.store.recordFinishedSession(server.id, finished, live ?? null);
    if (written) {
      written.slices.forEach((slice) =>
        this.notifyTraffic(server.name, finished.session.user, slice.bytesIn, slice.bytesOut)
      );
      written.events.forEach((event) => this.listeners.forEach((listener) => listener.event(server.name, event)));
    }
    if (live) {
      this.forget(server, live);
    }
  }

  recordEvent(serverName: string | null, event: VpnEvent): void {
    this.store.recordEvent(serverName === null ? null : this.server(serverName).id, event);
    this.listeners.forEach((listener) => listener.event(serverName, event));
  }

  /** Every server's pool and open-session count as tracked now: cheap, for /metrics at scrape time. */
  serverStates(): ServerState[] {
    return [...this.servers.values()].map((server) => ({
      name: server.name,
      kind: server.kind,
      pool: server.pool,
      liveSessions: server.live.size,
      lastPollAt: server.lastPollAt,
    }));
  }

  liveSessions(serverName: string): ReadonlyMap<string, LiveSession> {
    return this.server(serverName).live;
  }

  /** Listeners get the live sessions' (detached) names: a per-user metric keeps its label for good. */
  private notifyPoll(serverName: string, ts: number, diff: SnapshotDiff, opened: LiveSession[]): void {
    if (this.listeners.length === 0) {
      return;
    }
    diff.opened.forEach(({ observed, countFromZero }, index) => {
      const { user, details } = opened[index];
      if (countFromZero) {
        this.notifyTraffic(serverName, user, observed.bytesIn, observed.bytesOut);
      }
      const connect: VpnEvent = {
        ts: observed.connectedSince,
        kind: 'connect',
        user,
        realAddress: details.realAddress,
      };
      this.listeners.forEach((listener) => listener.event(serverName, connect));
    });
    for (const { live, deltaIn, deltaOut } of diff.continued) {
      this.notifyTraffic(serverName, live.user, deltaIn, deltaOut);
    }
    for (const session of diff.closed) {
      const disconnect: VpnEvent = { ts, kind: 'disconnect', user: session.user };
      this.listeners.forEach((listener) => listener.event(serverName, disconnect));
    }
  }

  private notifyTraffic(serverName: string, user: string, bytesIn: number, bytesOut: number): void {
    if (bytesIn > 0 || bytesOut > 0) {
      this.listeners.forEach((listener) => listener.traffic(serverName, user, bytesIn, bytesOut));
    }
  }

  private remember(server: TrackedServer, session: LiveSession): void {
    server.live.set(session.key, session);
    if (hasClientId(session)) {
      server.byClientId.set(session.clientId, session);
    }
  }

  private forget(server: TrackedServer, session: LiveSession): void {
    server.live.delete(session.key);
    if (hasClientId(session) && server.byClientId.get(session.clientId) === session) {
      server.byClientId.delete(session.clientId);
    }
  }

  private applyPendingInfo(server: TrackedServer, session: LiveSession, ts: number): void {
    if (!hasClientId(session)) {
      return;
    }
    const pending = server.pendingInfo.get(session.clientId);
    if (pending && ts - pending.at <= PENDING_INFO_SECONDS) {
      this.store.setClientInfo(session.id, pending.info);
    }
    server.pendingInfo.delete(session.clientId);
  }

  private updatePool(server: TrackedServer, pool: PoolSize): void {
    server.pool = pool;
    this.store.upsertServer(server.name, server.kind, pool.size, pool.source);
  }

  private server(name: string): TrackedServer {
    const server = this.servers.get(name);
    if (!server) {
      throw new Error(`server "${name}" was never registered with the tracker`);
    }
    return server;
  }
}

function hasClientId(session: LiveSession): session is LiveSession & { clientId: number } {
  return session.clientId !== undefined;
}
