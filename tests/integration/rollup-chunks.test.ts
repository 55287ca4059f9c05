import type { Db } from '../../backend/src/store/database';
import { rollUp, rolledUpThrough } from '../../backend/src/store/rollups';
import { framesFor } from '../support/query-frames';
import { ROLLUP_LEVELS, misSealedRows, serverRollupsAndUserSums, longRowsAndDaySums } from '../support/rollup-sums';
import { addPolls, addServer, addSession, at, openTestDatabase, type TestDatabase } from '../support/seed-db';

const DAY = 86_400;

const RAW_WITH_USER =
  '(SELECT t.ts, s.server_id, s.user, t.bytes_in, t.bytes_out FROM traffic t JOIN sessions s ON s.id = t.session_id)';

/** Raw deltas summed into buckets of `width` as the rollup tables stamp them (at the bucket's end). */
const rawSums = (db: Db, width: number): unknown[] =>
  db
    .prepare(
      `SELECT (ts - 1) - (ts - 1) % ${width} + ${width} AS ts, server_id, user, SUM(bytes_in) AS bytes_in,
              SUM(bytes_out) AS bytes_out FROM ${RAW_WITH_USER} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
    )
    .all();

describe('rolling up two days written before rollups existed', () => {
  let store: TestDatabase;
  const start = at('2024-03-04T00:00:00Z');
  const end = start + 2 * DAY;
  const range = { from: start, to: end, now: end, intervalS: 3_600 };
  const query = { queryType: 'traffic' as const, groupBy: 'user' as const, unit: 'volume' as const };
  let calls = 0;
  let whilePartial: ReturnType<typeof framesFor>;
  let throughWhilePartial: number | null;

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const serverId = addServer(db, 'udp1194', { lastPollAt: end });
    // rows as an older vpnscope wrote them: no rollup marks at all
    const insert = db.prepare('INSERT INTO traffic (ts, session_id, bytes_in, bytes_out) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const user of ['ann', 'bob', 'cem']) {
        const sessionId = addSession(db, { serverId, user, startedAt: start });
        for (let ts = start + 10; ts <= end; ts += 10) {
          insert.run(ts, sessionId, (ts % 977) + sessionId, (ts % 31) + 1);
        }
      }
    })();
    addPolls(db, serverId, { from: start, to: end, everyS: 10 }, 3);
    let more = rollUp(db);
    calls = 1;
    throughWhilePartial = rolledUpThrough(db);
    whilePartial = framesFor(db, query, range);
    while (more) {
      more = rollUp(db);
      calls++;
    }
  });
  afterAll(() => store.close());

  it('takes several bounded calls, leaving the rest marked in between', () => {
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(3); // ~70,000 raw rows at up to 50,000 a call
    expect(throughWhilePartial).not.toBeNull();
    expect(throughWhilePartial).toBeLessThan(end);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM rollup_dirty').get()).toEqual({ n: 0 });
    expect(rolledUpThrough(store.db)).toBe(end);
  });

  it('ends with minute, hour and day rollups equal to the raw deltas', () => {
    for (const [table, width] of [
      ['traffic_minute', 60],
      ['traffic_hour', 3_600],
      ['traffic_day', DAY],
    ] as const) {
      const rolled = store.db.prepare(`SELECT ts, server_id, user, bytes_in, bytes_out FROM ${table} ORDER BY 1, 2, 3`);
      expect(rolled.all()).toEqual(rawSums(store.db, width));
    }
    const peaks = store.db.prepare(
      'SELECT COUNT(*) AS n, MIN(max_used) AS low, MAX(max_used) AS high FROM capacity_hour'
    );
    expect(peaks.get()).toEqual({ n: 49, low: 3, high: 3 }); // the sample at `end` opens a 49th hour
  });

  it('ends with per-server rollups equal to the sums of the per-user ones, and (four-)week rows to the days', () => {
    for (const level of ROLLUP_LEVELS) {
      const { perServer, userSums } = serverRollupsAndUserSums(store.db, level);
      expect(perServer).toEqual(userSums);
      expect(perServer.length).toBeGreaterThan(0);
    }
    const { long, daySums } = longRowsAndDaySums(store.db);
    expect(long).toEqual(daySums);
    expect(long.length).toBeGreaterThan(0);
  });

  it('seals the backlog in bounded calls too, up to a few minutes before its end', () => {
    const { wrong, sealedRows } = misSealedRows(store.db);
    expect(wrong).toEqual([]);
    expect(store.db.prepare('SELECT through FROM traffic_sealed').get()).toEqual({ through: end });
    expect(sealedRows).toBeGreaterThan(3 * 2 * 24 * 60);
  });

  it('answers queries the same while the backlog is half rolled up as after', () => {
    expect(framesFor(store.db, query, range)).toEqual(whilePartial);
  });
});
