import type { ServerSnapshot } from '../model';
import type { SessionStore } from '../store/session-store';
import type { VpnEvent } from '../store/events';
import { diffSnapshot, sessionDetails, type LiveSession } from './snapshot-diff';

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

interface TrackedServer {
  id: number;
  name: string;
  kind: 'openvpn' | 'pptpd';
  pool: PoolSize;
  live: Map<string, LiveSession>;
  lastPollAt: number | null;
}

/**
 * Turns each server's successive snapshots into session lifecycle, traffic deltas and capacity
 * samples. It keeps the open sessions in memory (loaded from the store at registration, so a
 * restart of vpnscope continues the same sessions instead of opening duplicates).
 */
export class SessionTracker {
  private readonly servers = new Map<string, TrackedServer>();

  constructor(private readonly store: SessionStore) {}

  registerServer(name: string, kind: 'openvpn' | 'pptpd', pool: PoolSize): number {
    const id = this.store.upsertServer(name, kind, pool.size, pool.source);
    const live = new Map(this.store.liveSessions(id).map((session) => [session.key, session]));
    this.servers.set(name, { id, name, kind, pool, live, lastPollAt: this.store.lastPollAt(id) });
    return id;
  }

  applySnapshot(snapshot: ServerSnapshot): PollSummary {
    const server = this.server(snapshot.server);
    if (snapshot.poolSize !== undefined && snapshot.poolSize !== server.pool.size) {
      this.updatePool(server, { size: snapshot.poolSize, source: 'reported by the server' });
    }
    const diff = diffSnapshot(server.live, snapshot, server.lastPollAt);
    const opened = this.store.recordPoll(server.id, snapshot.ts, diff, {
      pool: 'ipv4',
      used: diff.opened.length + diff.continued.length,
      size: server.pool.size,
    });
    for (const session of diff.closed) {
      server.live.delete(session.key);
    }
    for (const { live, observed } of diff.continued) {
      live.user = observed.user;
      live.bytesIn = observed.bytesIn;
      live.bytesOut = observed.bytesOut;
      live.lastSeen = snapshot.ts;
      live.details = sessionDetails(observed);
    }
    for (const session of opened) {
      server.live.set(session.key, session);
    }
    server.lastPollAt = snapshot.ts;
    return {
      server: server.name,
      opened: diff.opened.length,
      closed: diff.closed.length,
      active: server.live.size,
      poolSize: server.pool.size,
    };
  }

  recordEvent(serverName: string | null, event: VpnEvent): void {
    this.store.recordEvent(serverName === null ? null : this.server(serverName).id, event);
  }

  liveSessions(serverName: string): ReadonlyMap<string, LiveSession> {
    return this.server(serverName).live;
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
