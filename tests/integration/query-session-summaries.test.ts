import fc from 'fast-check';
import type { AppDimension } from '../../backend/src/contract';
import type { Db } from '../../backend/src/store/database';
import { addServer, addSession, at, openTestDatabase, type TestDatabase } from '../support/seed-db';
import { framesFor } from '../support/query-frames';

/**
 * The apps table for every user (from the trigger-kept summaries) and the $user variable (a loose
 * scan of users) answer what a plain pass over the sessions answers, whatever the sessions, the
 * writes after them (client info, ends, deletions) and the range.
 */

const DAY = 86400;
const T0 = at('2024-03-04T00:00:00Z');
const dimensions: AppDimension[] = ['app', 'app_version', 'platform', 'client_version'];

const overlapping = `s.started_at <= @to AND (s.ended_at IS NULL OR s.ended_at >= @from)
  AND (@server IS NULL OR s.server_id IN (SELECT id FROM servers WHERE name = @server))`;

function expectedShares(db: Db, dimension: AppDimension, params: Params): unknown[][] {
  const rows = db
    .prepare(
      `SELECT COALESCE(NULLIF(s.${dimension}, ''), 'unknown') AS value, COUNT(DISTINCT s.user) AS users,
              COUNT(*) AS sessions
       FROM sessions s WHERE ${overlapping}
       GROUP BY value ORDER BY users DESC, sessions DESC, value`
    )
    .all(params) as Array<{ value: string; users: number; sessions: number }>;
  return [rows.map((r) => r.value), rows.map((r) => r.users), rows.map((r) => r.sessions)];
}

function expectedUsers(db: Db, params: Params): string[] {
  const rows = db
    .prepare(`SELECT DISTINCT s.user FROM sessions s WHERE ${overlapping} ORDER BY s.user`)
    .all(params) as Array<{ user: string }>;
  return rows.map((r) => r.user);
}

interface Params {
  from: number;
  to: number;
  server: string | null;
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const clientArb = fc.record({
  app: maybe(fc.constantFrom('', 'OpenVPN Connect', 'Tunnelblick', 'unknown')),
  appVersion: maybe(fc.constantFrom('3.4.2', '3.5.0')),
  platform: maybe(fc.constantFrom('', 'win', 'mac')),
  clientVersion: maybe(fc.constantFrom('2.6.14', '2.6.12')),
});
const sessionArb = fc.record({
  server: fc.constantFrom('vpn-a', 'vpn-b'),
  user: fc.constantFrom('alice', 'bob', 'carol', 'dave'),
  startedAt: fc.integer({ min: T0 - 3 * DAY, max: T0 + 3 * DAY }),
  // null: still open; negative: ends before it starts (a server clock ahead of ours).
  lasts: maybe(fc.integer({ min: -600, max: 3 * DAY })),
  client: clientArb,
});
/** What happens to a stored session afterwards: its client says who it is, it ends, or retention deletes it. */
const laterArb = fc.oneof(
  fc.record({ kind: fc.constant('client' as const), client: clientArb }),
  fc.record({ kind: fc.constant('end' as const), at: fc.integer({ min: T0 - 3 * DAY, max: T0 + 6 * DAY }) }),
  fc.record({ kind: fc.constant('delete' as const) })
);
const rangeArb = fc
  .tuple(fc.integer({ min: T0 - 4 * DAY, max: T0 + 7 * DAY }), fc.integer({ min: 0, max: 4 * DAY }))
  .map(([from, length]) => ({ from, to: from + length }));

describe('session summaries', () => {
  let store: TestDatabase;
  beforeEach(() => {
    store = openTestDatabase();
    addServer(store.db, 'vpn-a');
    addServer(store.db, 'vpn-b');
  });
  afterEach(() => store.close());

  function seed(sessions: SessionSeedCase[]): number[] {
    const { db } = store;
    const serverIds = new Map(
      (db.prepare('SELECT id, name FROM servers').all() as Array<{ id: number; name: string }>).map((r) => [
        r.name,
        r.id,
      ])
    );
    return sessions.map((s) =>
      addSession(db, {
        serverId: serverIds.get(s.server) ?? 0,
        user: s.user,
        startedAt: s.startedAt,
        endedAt: s.lasts === null ? null : s.startedAt + s.lasts,
        ...s.client,
      })
    );
  }

  function apply(ids: number[], later: Array<[number, LaterCase]>): void {
    const { db } = store;
    for (const [index, change] of later) {
      const id = ids[index % ids.length];
      if (change.kind === 'client') {
        db.prepare(
          `UPDATE sessions SET app = @app, app_version = @appVersion, platform = @platform,
             client_version = @clientVersion WHERE id = @id`
        ).run({ id, ...change.client });
      } else if (change.kind === 'end') {
        db.prepare('UPDATE sessions SET ended_at = ? WHERE id = ?').run(change.at, id);
      } else {
        db.prepare('DELETE FROM session_counters WHERE session_id = ?').run(id);
        db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
      }
    }
  }

  it('tables apps, versions, platforms and client versions as a pass over the sessions would', () => {
    fc.assert(
      fc.property(
        fc.array(sessionArb, { minLength: 1, maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(), laterArb), { maxLength: 10 }),
        fc.array(fc.tuple(rangeArb, maybe(fc.constantFrom('vpn-a', 'vpn-b'))), { minLength: 1, maxLength: 4 }),
        (sessions, later, ranges) => {
          store.db.exec('DELETE FROM session_counters; DELETE FROM sessions');
          apply(seed(sessions), later);
          for (const [range, server] of ranges) {
            for (const dimension of dimensions) {
              const [table] = framesFor(
                store.db,
                { queryType: 'apps', dimension, ...(server ? { server } : {}) },
                { ...range, now: T0 + 7 * DAY }
              );
              expect(table.data.values).toEqual(expectedShares(store.db, dimension, { ...range, server }));
            }
            const [users] = framesFor(
              store.db,
              { queryType: 'variable', variable: 'users', ...(server ? { server } : {}) },
              { ...range, now: T0 + 7 * DAY }
            );
            expect(users.data.values[0]).toEqual(expectedUsers(store.db, { ...range, server }));
          }
        }
      ),
      { numRuns: 60 }
    );
  });

  it('counts no client or day for sessions that are gone', () => {
    const ids = seed([
      { server: 'vpn-a', user: 'alice', startedAt: T0, lasts: 2 * DAY, client: { app: 'Tunnelblick' } },
    ]);
    apply(ids, [
      [
        0,
        { kind: 'client', client: { app: 'OpenVPN Connect', appVersion: null, platform: null, clientVersion: null } },
      ],
    ]);
    const counts = () =>
      store.db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM session_clients WHERE sessions > 0) AS clients,
                  (SELECT COUNT(*) FROM client_days WHERE started > 0 OR ended > 0) AS days`
        )
        .get();
    expect(counts()).toEqual({ clients: 1, days: 2 });
    apply(ids, [[0, { kind: 'delete' }]]);
    expect(counts()).toEqual({ clients: 0, days: 0 });
  });
});

interface SessionSeedCase {
  server: string;
  user: string;
  startedAt: number;
  lasts: number | null;
  client: { app?: string | null; appVersion?: string | null; platform?: string | null; clientVersion?: string | null };
}

type LaterCase =
  | {
      kind: 'client';
      client: { app: string | null; appVersion: string | null; platform: string | null; clientVersion: string | null };
    }
  | { kind: 'end'; at: number }
  | { kind: 'delete' };
