import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import { sessionDetails, type LiveSession, type SnapshotDiff } from '../tracker/snapshot-diff';
import type { ObservedSession, ClientInfo } from '../model';
import type { VpnEvent } from './events';

export interface ServerRow {
  id: number;
  name: string;
  kind: 'openvpn' | 'pptpd';
  poolSize: number | null;
  poolSizeSource: string | null;
  lastPollAt: number | null;
}

interface LiveSessionRow {
  id: number;
  key: string;
  user: string;
  commonName: string;
  realAddress: string;
  virtualIpv4: string | null;
  virtualIpv6: string | null;
  cipher: string | null;
  clientId: number | null;
  bytesIn: number;
  bytesOut: number;
  lastSeen: number;
}

export interface CapacitySample {
  pool: string;
  used: number;
  size: number | null;
}

/**
 * All writes of the tracker go through here, as prepared statements. Each poll is one
 * transaction: a crash loses at most the poll in flight, and readers never see half a poll.
 */
export class SessionStore {
  private readonly statements: ReturnType<typeof prepare>;

  constructor(readonly db: Db) {
    this.statements = prepare(db);
  }

  /** Creates the server row on first sight and keeps its pool size current; returns its id. */
  upsertServer(
    name: string,
    kind: 'openvpn' | 'pptpd',
    poolSize: number | null,
    poolSizeSource: string | null
  ): number {
    const row = this.statements.upsertServer.get({ name, kind, poolSize, poolSizeSource }) as { id: number };
    return row.id;
  }

  servers(): ServerRow[] {
    return this.statements.servers.all() as ServerRow[];
  }

  liveSessions(serverId: number): LiveSession[] {
    return (this.statements.liveSessions.all(serverId) as LiveSessionRow[]).map((row) => ({
      id: row.id,
      key: row.key,
      user: row.user,
      clientId: row.clientId ?? undefined,
      bytesIn: row.bytesIn,
      bytesOut: row.bytesOut,
      lastSeen: row.lastSeen,
      details: sessionDetails(row),
    }));
  }

  lastPollAt(serverId: number): number | null {
    const row = this.statements.lastPollAt.get(serverId) as { lastPollAt: number | null } | undefined;
    return row?.lastPollAt ?? null;
  }

  /** Writes one poll's outcome; returns the live sessions it opened, with their new ids. */
  recordPoll(serverId: number, ts: number, diff: SnapshotDiff, capacity: CapacitySample): LiveSession[] {
    return this.db.transaction(() => this.writePoll(serverId, ts, diff, capacity))();
  }

  recordEvent(serverId: number | null, event: VpnEvent): void {
    this.statements.insertEvent.run(eventParams(serverId, event));
  }

  setClientInfo(sessionId: number, info: ClientInfo): void {
    this.statements.setClientInfo.run({ id: sessionId, ...info });
  }

  private writePoll(serverId: number, ts: number, diff: SnapshotDiff, capacity: CapacitySample): LiveSession[] {
    const s = this.statements;
    const opened: LiveSession[] = [];
    for (const { observed, countFromZero } of diff.opened) {
      const { id } = s.insertSession.get(sessionParams(serverId, ts, observed)) as { id: number };
      opened.push({
        id,
        key: observed.key,
        user: observed.user,
        clientId: observed.clientId,
        bytesIn: observed.bytesIn,
        bytesOut: observed.bytesOut,
        lastSeen: ts,
        details: sessionDetails(observed),
      });
      if (countFromZero && (observed.bytesIn > 0 || observed.bytesOut > 0)) {
        s.insertTraffic.run({
          sessionId: id,
          ts,
          serverId,
          user: observed.user,
          bytesIn: observed.bytesIn,
          bytesOut: observed.bytesOut,
        });
      }
      s.insertEvent.run(
        eventParams(serverId, {
          ts: observed.connectedSince,
          kind: 'connect',
          user: observed.user,
          realAddress: observed.realAddress,
        })
      );
    }
    for (const { live, observed, deltaIn, deltaOut, detailsChanged } of diff.continued) {
      if (detailsChanged) {
        s.updateSession.run({ id: live.id, ts, ...sessionColumns(observed) });
      } else {
        s.updateCounters.run(ts, observed.bytesIn, observed.bytesOut, live.id);
      }
      if (deltaIn > 0 || deltaOut > 0) {
        s.insertTraffic.run({
          sessionId: live.id,
          ts,
          serverId,
          user: observed.user,
          bytesIn: deltaIn,
          bytesOut: deltaOut,
        });
      }
    }
    for (const session of diff.closed) {
      s.endSession.run({ id: session.id, ts, reason: 'vanished' });
      s.insertEvent.run(eventParams(serverId, { ts, kind: 'disconnect', user: session.user, detail: null }));
    }
    s.insertCapacity.run({ serverId, ts, ...capacity });
    s.setLastPoll.run({ id: serverId, ts });
    return opened;
  }
}

function sessionColumns(observed: ObservedSession) {
  return {
    user: observed.user,
    commonName: observed.commonName,
    realAddress: observed.realAddress,
    virtualIpv4: observed.virtualIpv4 ?? null,
    virtualIpv6: observed.virtualIpv6 ?? null,
    bytesIn: observed.bytesIn,
    bytesOut: observed.bytesOut,
    cipher: observed.cipher ?? null,
  };
}

function sessionParams(serverId: number, ts: number, observed: ObservedSession) {
  return {
    serverId,
    identity: observed.key,
    clientId: observed.clientId ?? null,
    startedAt: observed.connectedSince,
    ts,
    ...sessionColumns(observed),
  };
}

function eventParams(serverId: number | null, event: VpnEvent) {
  return {
    serverId,
    ts: event.ts,
    kind: event.kind,
    user: event.user ?? null,
    realAddress: event.realAddress ?? null,
    detail: event.detail ?? null,
  };
}

function prepare(db: Db) {
  const statement = (sql: string): Statement => db.prepare(sql);
  return {
    upsertServer: statement(`
      INSERT INTO servers (name, kind, pool_size, pool_size_source) VALUES (@name, @kind, @poolSize, @poolSizeSource)
      ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, pool_size = excluded.pool_size, pool_size_source = excluded.pool_size_source
      RETURNING id`),
    servers: statement(`
      SELECT id, name, kind, pool_size AS poolSize, pool_size_source AS poolSizeSource, last_poll_at AS lastPollAt
      FROM servers ORDER BY name`),
    liveSessions: statement(`
      SELECT id, identity AS key, user, common_name AS commonName, real_address AS realAddress,
             virtual_ipv4 AS virtualIpv4, virtual_ipv6 AS virtualIpv6, cipher,
             client_id AS clientId, bytes_in AS bytesIn, bytes_out AS bytesOut, last_seen AS lastSeen
      FROM sessions WHERE server_id = ? AND ended_at IS NULL`),
    lastPollAt: statement(`SELECT last_poll_at AS lastPollAt FROM servers WHERE id = ?`),
    setLastPoll: statement(`UPDATE servers SET last_poll_at = @ts WHERE id = @id`),
    insertSession: statement(`
      INSERT INTO sessions (server_id, identity, user, common_name, real_address, virtual_ipv4, virtual_ipv6, client_id,
                            started_at, last_seen, bytes_in, bytes_out, cipher)
      VALUES (@serverId, @identity, @user, @commonName, @realAddress, @virtualIpv4, @virtualIpv6, @clientId,
              @startedAt, @ts, @bytesIn, @bytesOut, @cipher)
      RETURNING id`),
    updateSession: statement(`
      UPDATE sessions SET last_seen = @ts, user = @user, common_name = @commonName, real_address = @realAddress,
        virtual_ipv4 = @virtualIpv4, virtual_ipv6 = @virtualIpv6, bytes_in = @bytesIn, bytes_out = @bytesOut,
        cipher = @cipher
      WHERE id = @id`),
    // The common case of a poll: only the counters moved. Positional and narrow, it costs a third of updateSession.
    updateCounters: statement(`UPDATE sessions SET last_seen = ?, bytes_in = ?, bytes_out = ? WHERE id = ?`),
    endSession: statement(`UPDATE sessions SET ended_at = @ts, end_reason = @reason WHERE id = @id`),
    setClientInfo: statement(`
      UPDATE sessions SET app = @app, app_version = @appVersion, platform = @platform,
        platform_version = @platformVersion, client_version = @clientVersion
      WHERE id = @id`),
    insertTraffic: statement(`
      INSERT INTO traffic (session_id, ts, server_id, user, bytes_in, bytes_out)
      VALUES (@sessionId, @ts, @serverId, @user, @bytesIn, @bytesOut)
      ON CONFLICT (ts, session_id) DO UPDATE SET bytes_in = bytes_in + excluded.bytes_in, bytes_out = bytes_out + excluded.bytes_out`),
    insertCapacity: statement(`
      INSERT INTO capacity (server_id, pool, ts, used, size) VALUES (@serverId, @pool, @ts, @used, @size)
      ON CONFLICT (server_id, pool, ts) DO UPDATE SET used = excluded.used, size = excluded.size`),
    insertEvent: statement(`
      INSERT INTO events (server_id, ts, kind, user, real_address, detail)
      VALUES (@serverId, @ts, @kind, @user, @realAddress, @detail)`),
  };
}
