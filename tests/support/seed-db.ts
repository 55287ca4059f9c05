import fs from 'fs';
import os from 'os';
import path from 'path';
import type { EventKind } from '../../backend/src/contract';
import { openDatabase, type Db } from '../../backend/src/store/database';

/**
 * Hand-built rows in a real SQLite file, for tests of code that reads the store. Rows go in with
 * plain INSERTs so a test states exactly what is stored, independent of the tracker.
 */

export interface TestDatabase {
  db: Db;
  /** Closes the database and removes its directory. */
  close(): void;
}

export function openTestDatabase(): TestDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpnscope-query-'));
  const db = openDatabase(path.join(dir, 'vpnscope.db'));
  return {
    db,
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Unix seconds of an ISO-8601 UTC time: `at('2024-03-04T10:00:00Z')`. */
export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new Error(`not a time: ${iso}`);
  }
  return ms / 1000;
};

export interface ServerSeed {
  kind?: 'openvpn' | 'pptpd';
  poolSize?: number | null;
  lastPollAt?: number | null;
}

export function addServer(db: Db, name: string, seed: ServerSeed = {}): number {
  const row = db
    .prepare(`INSERT INTO servers (name, kind, pool_size, last_poll_at) VALUES (?, ?, ?, ?) RETURNING id`)
    .get(name, seed.kind ?? 'openvpn', seed.poolSize ?? null, seed.lastPollAt ?? null) as { id: number };
  return row.id;
}

export interface SessionSeed {
  serverId: number;
  user: string;
  startedAt: number;
  endedAt?: number | null;
  /** Defaults to endedAt, or startedAt for a live session. */
  lastSeen?: number;
  bytesIn?: number;
  bytesOut?: number;
  realAddress?: string;
  virtualIpv4?: string | null;
  virtualIpv6?: string | null;
  cipher?: string | null;
  app?: string | null;
  appVersion?: string | null;
  platform?: string | null;
  clientVersion?: string | null;
  endReason?: string | null;
}

let identities = 0;

export function addSession(db: Db, seed: SessionSeed): number {
  const endedAt = seed.endedAt ?? null;
  const row = db
    .prepare(
      `INSERT INTO sessions (server_id, identity, user, common_name, real_address, virtual_ipv4, virtual_ipv6,
                             started_at, ended_at, cipher, app, app_version, platform, client_version, end_reason)
       VALUES (@serverId, @identity, @user, @user, @realAddress, @virtualIpv4, @virtualIpv6, @startedAt, @endedAt,
               @cipher, @app, @appVersion, @platform, @clientVersion, @endReason)
       RETURNING id`
    )
    .get({
      serverId: seed.serverId,
      identity: `seed-${++identities}`,
      user: seed.user,
      realAddress: seed.realAddress ?? '198.18.0.1:1194',
      virtualIpv4: seed.virtualIpv4 ?? null,
      virtualIpv6: seed.virtualIpv6 ?? null,
      startedAt: seed.startedAt,
      endedAt,
      cipher: seed.cipher ?? null,
      app: seed.app ?? null,
      appVersion: seed.appVersion ?? null,
      platform: seed.platform ?? null,
      clientVersion: seed.clientVersion ?? null,
      endReason: seed.endReason ?? null,
    }) as { id: number };
  db.prepare('INSERT INTO session_counters (session_id, last_seen, bytes_in, bytes_out) VALUES (?, ?, ?, ?)').run(
    row.id,
    seed.lastSeen ?? endedAt ?? seed.startedAt,
    seed.bytesIn ?? 0,
    seed.bytesOut ?? 0
  );
  return row.id;
}

/** One traffic delta of a session. */
export function addTraffic(db: Db, sessionId: number, ts: number, bytesIn: number, bytesOut: number): void {
  db.prepare('INSERT INTO traffic (session_id, ts, bytes_in, bytes_out) VALUES (?, ?, ?, ?)').run(
    sessionId,
    ts,
    bytesIn,
    bytesOut
  );
}

/** A delta of the same size at every `everyS` seconds in (from, to]: a steady transfer. */
export function addSteadyTraffic(
  db: Db,
  sessionId: number,
  span: { from: number; to: number; everyS: number },
  bytesIn: number,
  bytesOut: number
): void {
  db.transaction(() => {
    for (let ts = span.from + span.everyS; ts <= span.to; ts += span.everyS) {
      addTraffic(db, sessionId, ts, bytesIn, bytesOut);
    }
  })();
}

export function addCapacity(
  db: Db,
  serverId: number,
  pool: string,
  ts: number,
  used: number,
  size: number | null
): void {
  db.prepare(`INSERT INTO capacity (server_id, pool, ts, used, size) VALUES (?, ?, ?, ?, ?)`).run(
    serverId,
    pool,
    ts,
    used,
    size
  );
}

/**
 * The capacity samples a server's polls every `everyS` seconds in [from, to] leave behind, as
 * the tracker stores one per poll; the traffic query reads the poll interval from them.
 */
export function addPolls(db: Db, serverId: number, span: { from: number; to: number; everyS: number }, used = 0): void {
  db.transaction(() => {
    for (let ts = span.from; ts <= span.to; ts += span.everyS) {
      addCapacity(db, serverId, 'ipv4', ts, used, null);
    }
  })();
}

export interface EventSeed {
  serverId: number | null;
  ts: number;
  kind: EventKind;
  user?: string | null;
  realAddress?: string | null;
  detail?: string | null;
}

export function addEvent(db: Db, seed: EventSeed): void {
  db.prepare(`INSERT INTO events (server_id, ts, kind, user, real_address, detail) VALUES (?, ?, ?, ?, ?, ?)`).run(
    seed.serverId,
    seed.ts,
    seed.kind,
    seed.user ?? null,
    seed.realAddress ?? null,
    seed.detail ?? null
  );
}
