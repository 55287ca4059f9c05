import type { DataFrameJSON } from '../../backend/src/contract';
import type { ObservedSession } from '../../backend/src/model';
import { tiles } from '../../backend/src/query/rollup-choice';
import { bucketBySeekSql, tileRows } from '../../backend/src/query/traffic-source';
import { rollUp, rolledUpThrough } from '../../backend/src/store/rollups';
import { sealedThrough } from '../../backend/src/store/sealed';
import { trafficTables } from '../../backend/src/store/series-tables';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import { framesFor, type QueryWithoutRefId } from '../support/query-frames';
import { addServer, at, openTestDatabase, type TestDatabase } from '../support/seed-db';

const MINUTE = 60;
const start = at('2024-03-03T21:00:07Z');
const end = at('2024-03-05T01:50:07Z');
/** Polls after this are not rolled up yet, so queries read their raw rows. */
const lastRollUp = end - 25 * MINUTE;

interface Rate {
  user: string;
  server: 'udp1194' | 'tcp443';
  from: number;
  /** Bytes per second in and out. */
  rateIn: number;
  rateOut: number;
}

// Steady users on two servers, ann on both; bob's counters restart at midnight; eve arrives late
// and moves the most in the last hour, so the busiest users depend on the range.
const rates: Rate[] = [
  { user: 'ann', server: 'udp1194', from: start, rateIn: 300, rateOut: 40 },
  { user: 'bob', server: 'udp1194', from: start, rateIn: 200, rateOut: 900 },
  { user: 'cem', server: 'udp1194', from: start, rateIn: 50, rateOut: 5 },
  { user: 'ann', server: 'tcp443', from: start, rateIn: 20, rateOut: 20 },
  { user: 'dag', server: 'tcp443', from: start, rateIn: 250, rateOut: 100 },
  { user: 'eve', server: 'tcp443', from: at('2024-03-05T00:40:00Z'), rateIn: 5_000, rateOut: 500 },
];

function observed(rate: Rate, index: number, ts: number): ObservedSession {
  const reset = rate.user === 'bob' && ts >= at('2024-03-05T00:00:00Z') ? at('2024-03-05T00:00:00Z') : rate.from;
  const up = ts - reset;
  return {
    key: `${rate.user}@${rate.server}`,
    user: rate.user,
    commonName: rate.user,
    realAddress: `198.18.0.${index + 2}:4${index}000`,
    virtualIpv4: `198.19.0.${index + 2}`,
    clientId: index,
    connectedSince: rate.from,
    bytesIn: up * rate.rateIn + ((up * 7) % 13),
    bytesOut: up * rate.rateOut,
  };
}

const labelsOf = (frames: DataFrameJSON[]) => frames.map((frame) => frame.schema.fields[1].labels);
const totalOf = (frame: DataFrameJSON): number =>
  (frame.data.values[1] as number[]).reduce((sum, value) => sum + value, 0);

describe('traffic read from day, hour, minute and raw rows', () => {
  let store: TestDatabase;

  beforeAll(() => {
    store = openTestDatabase();
    const tracker = new SessionTracker(new SessionStore(store.db));
    tracker.registerServer('udp1194', 'openvpn', { size: 253, source: 'test' });
    tracker.registerServer('tcp443', 'openvpn', { size: 253, source: 'test' });
    for (let ts = start, polls = 0; ts <= end; ts += MINUTE) {
      for (const server of ['udp1194', 'tcp443'] as const) {
        const sessions = rates.flatMap((rate, index) =>
          rate.server === server && rate.from <= ts ? [observed(rate, index, ts)] : []
        );
        tracker.applySnapshot({ server, ts, sessions });
      }
      if (++polls % 4 === 0 && ts <= lastRollUp) {
        rollUp(store.db);
      }
    }
  });
  afterAll(() => store.close());

  /** The same query answered from the raw table alone, as when nothing is rolled up yet. */
  function fromRawOnly(query: QueryWithoutRefId, range: Parameters<typeof framesFor>[2]): DataFrameJSON[] {
    store.db.exec('SAVEPOINT raw_only');
    try {
      store.db.prepare('DELETE FROM rollup_state').run();
      return framesFor(store.db, query, range);
    } finally {
      store.db.exec('ROLLBACK TO raw_only; RELEASE raw_only');
    }
  }

  const ranges = [
    { from: start - 7, to: end, now: end },
    { from: at('2024-03-03T22:17:00Z'), to: at('2024-03-05T01:12:00Z'), now: end },
    { from: end - 86_400, to: end, now: end },
  ];
  const series: QueryWithoutRefId[] = [
    { queryType: 'traffic', groupBy: 'server' },
    { queryType: 'traffic', groupBy: 'none', unit: 'volume' },
    { queryType: 'traffic', groupBy: 'user', topN: 2, unit: 'volume' },
    { queryType: 'traffic', groupBy: 'user', topN: 1, direction: 'out' },
    { queryType: 'traffic', groupBy: 'user', user: 'ann' },
    { queryType: 'traffic', groupBy: 'server', user: 'ann' },
    { queryType: 'traffic', groupBy: 'none', user: 'bob', server: 'udp1194', direction: 'out' },
    { queryType: 'traffic', groupBy: 'server', user: 'ann,eve', direction: 'in' },
    { queryType: 'traffic', groupBy: 'user', server: 'tcp443', topN: 1, unit: 'volume' },
  ];
  const totals: QueryWithoutRefId[] = (['day', 'week', 'month'] as const).flatMap((period) => [
    { queryType: 'traffic' as const, totals: period, groupBy: 'user' as const, user: 'bob' },
    { queryType: 'traffic' as const, totals: period, groupBy: 'server' as const },
    { queryType: 'traffic' as const, totals: period, groupBy: 'user' as const, topN: 2 },
  ]);

  it('has rolled up all but the last minutes, which end between two whole minutes, and sealed most of them', () => {
    const through = rolledUpThrough(store.db) as number;
    expect(through).toBeGreaterThan(lastRollUp - 10 * MINUTE);
    expect(through).toBeLessThanOrEqual(lastRollUp);
    const tables = tiles(ranges[0].from, end, trafficTables.rollups, through).map((tile) => tile.table);
    expect(tables).toEqual(['traffic_hour', 'traffic_day', 'traffic_hour', 'traffic_minute', null]);
    // A user's reads take the sealed minutes by index and the last few rolled-up ones by time.
    const sealed = sealedThrough(store.db);
    expect(sealed).toBeLessThan(Math.floor(through / MINUTE) * MINUTE);
    expect(sealed).toBeGreaterThan(through - 20 * MINUTE);
  });

  it('answers series at every bucket width exactly as the raw rows alone do', () => {
    for (const range of ranges) {
      for (const intervalS of [60, 300, 3_600, 21_600]) {
        for (const query of series) {
          const frames = framesFor(store.db, query, { ...range, intervalS });
          expect(frames.length).toBeGreaterThan(0);
          expect(frames).toEqual(fromRawOnly(query, { ...range, intervalS }));
        }
      }
    }
  });

  it('answers per-day, week and month totals exactly as the raw rows alone do', () => {
    for (const range of ranges) {
      for (const query of totals) {
        const frames = framesFor(store.db, query, range);
        expect(frames.length).toBeGreaterThan(0);
        expect(frames).toEqual(fromRawOnly(query, range));
      }
    }
  });

  it('keeps the users that moved the most over the whole range, with the series they have among all users', () => {
    for (const range of ranges) {
      for (const direction of ['in', 'out', 'both'] as const) {
        const query = { queryType: 'traffic' as const, groupBy: 'user' as const, unit: 'volume' as const, direction };
        const everyone = framesFor(store.db, query, { ...range, intervalS: 300 });
        const totalPerUser = new Map<string, number>();
        for (const frame of everyone) {
          const user = frame.schema.fields[1].labels?.user as string;
          totalPerUser.set(user, (totalPerUser.get(user) ?? 0) + totalOf(frame));
        }
        const topTwo = [...totalPerUser]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 2)
          .map(([user]) => user);
        const expected = everyone.filter((frame) => topTwo.includes(frame.schema.fields[1].labels?.user as string));
        expect(framesFor(store.db, { ...query, topN: 2 }, { ...range, intervalS: 300 })).toEqual(expected);
      }
    }
    const lastHour = { from: end - 3_600, to: end, now: end };
    const busiest = framesFor(store.db, { queryType: 'traffic', groupBy: 'user', topN: 1, direction: 'in' }, lastHour);
    expect(labelsOf(busiest)).toEqual([{ user: 'eve', direction: 'in' }]);
    const wholeRange = framesFor(
      store.db,
      { queryType: 'traffic', groupBy: 'user', topN: 1, direction: 'in' },
      ranges[0]
    );
    expect(labelsOf(wholeRange)).toEqual([{ user: 'ann', direction: 'in' }]);
  });

  it('reads per-server and fleet traffic from the per-server rollups', () => {
    const range = { ...ranges[0], intervalS: 3_600 };
    const perServer = framesFor(store.db, { queryType: 'traffic', groupBy: 'server' }, range);
    const fleet = framesFor(store.db, { queryType: 'traffic', groupBy: 'none' }, range);
    const perUser = framesFor(store.db, { queryType: 'traffic', groupBy: 'user' }, range);
    store.db.exec('SAVEPOINT without_user_rollups');
    try {
      store.db.exec('DELETE FROM traffic_minute; DELETE FROM traffic_hour; DELETE FROM traffic_day;');
      expect(framesFor(store.db, { queryType: 'traffic', groupBy: 'server' }, range)).toEqual(perServer);
      expect(framesFor(store.db, { queryType: 'traffic', groupBy: 'none' }, range)).toEqual(fleet);
      expect(framesFor(store.db, { queryType: 'traffic', groupBy: 'user' }, range)).not.toEqual(perUser);
    } finally {
      store.db.exec('ROLLBACK TO without_user_rollups; RELEASE without_user_rollups');
    }
  });

  it('seeks one user’s sealed rows in every per-user rollup through its (user, ts) index', () => {
    const selection = { after: 0, until: 1, widthS: 60, groupBy: 'user' as const, server: null, user: '["ann"]' };
    for (const { table } of trafficTables.rollups) {
      const sql = tileRows({ table, after: 0, until: 1, sealed: true }, 0, selection, 'user');
      const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ after0: 0, until0: 1, user: '["ann"]' });
      expect((plan as Array<{ detail: string }>).map((step) => step.detail)).toContain(
        `SEARCH ${table} USING COVERING INDEX ${table}_user (user=? AND ts>? AND ts<?)`
      );
    }
  });
  it('sums one user’s sealed rows bucket by bucket, seeking each bucket without sorting the rows', () => {
    const selection = { after: 0, until: 1, widthS: 420, groupBy: 'user' as const, server: null, user: '["ann"]' };
    for (const { table } of trafficTables.rollups) {
      const sql = bucketBySeekSql(table, 0, selection);
      const plan = store.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all({ after0: 0, until0: 1, width: 420, user: '["ann"]' });
      const steps = (plan as Array<{ detail: string }>).map((step) => step.detail);
      expect(steps).toContain(`SEARCH t USING COVERING INDEX ${table}_user (user=? AND ts>? AND ts<?)`);
      expect(steps).not.toContain('USE TEMP B-TREE FOR GROUP BY');
    }
  });
});

describe('the busiest users over a year of day, week and four-week rows', () => {
  let store: TestDatabase;
  const DAY = 86_400;
  const firstDay = at('2024-01-01T00:00:00Z');
  const now = firstDay + 400 * DAY + 5 * 3_600;

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const servers = [addServer(db, 'udp1194', { lastPollAt: now }), addServer(db, 'tcp443', { lastPollAt: now })];
    // Sealed up to the last midnight: the busiest users are summed user by user from the (four-)week rows.
    const day = db.prepare('INSERT INTO traffic_day VALUES (?, ?, ?, ?, ?, 1)');
    const hour = db.prepare('INSERT INTO traffic_hour VALUES (?, ?, ?, ?, ?, 0)');
    // cem and dag move the same in total; fay only in the last hours; gus only early on.
    const daily: Array<[string, number, number]> = [
      ['ann', 1_000, 10],
      ['bob', 400, 900],
      ['cem', 700, 0],
      ['dag', 0, 700],
      ['Eli', 650, 50],
    ];
    db.transaction(() => {
      for (let d = 1; d <= 400; d++) {
        daily.forEach(([user, bytesIn, bytesOut], index) => {
          if ((d + index) % 9 !== 0) {
            day.run(firstDay + d * DAY, servers[index % 2], user, bytesIn * (1 + (d % 3)), bytesOut * (1 + (d % 3)));
          }
        });
        if (d < 40) {
          day.run(firstDay + d * DAY, servers[1], 'gus', 20_000, 0);
        }
      }
      for (let h = 1; h <= 5; h++) {
        hour.run(firstDay + 400 * DAY + h * 3_600, servers[0], 'fay', 9_000, 9_000);
        hour.run(firstDay + 400 * DAY + h * 3_600, servers[1], 'ann', 100, 100);
      }
      for (const { table, widthS } of trafficTables.rollups.filter((rollup) => rollup.widthS > DAY)) {
        db.prepare(
          `INSERT INTO ${table} SELECT (ts - 1) - (ts - 1) % @width + @width AS bucket, server_id, user, SUM(bytes_in),
                  SUM(bytes_out), (ts - 1) - (ts - 1) % @width + @width <= @sealed FROM traffic_day GROUP BY 1, 2, 3`
        ).run({ width: widthS, sealed: firstDay + 400 * DAY });
      }
      db.prepare('INSERT INTO rollup_state (id, rolled_through) VALUES (1, ?)').run(now);
      db.prepare('UPDATE traffic_sealed SET through = ?').run(firstDay + 400 * DAY);
    })();
  });
  afterAll(() => store.close());

  it('ranks users over four-week, week, day and hour rows as all users’ series would', () => {
    // Day buckets: the hour rows here are only those of the last, unfinished day. The busiest users
    // are summed from four-week and week rows (user by user from 28 buckets on), day rows at the
    // edges, hour rows.
    for (const fromDay of [0, 2, 150, 300, 390]) {
      for (const direction of ['in', 'out', 'both'] as const) {
        for (const topN of [1, 2, 3, 4]) {
          const range = { from: firstDay + fromDay * DAY, to: now, now, intervalS: DAY };
          const query = { queryType: 'traffic' as const, groupBy: 'user' as const, unit: 'volume' as const, direction };
          const everyone = framesFor(store.db, query, range);
          const totalPerUser = new Map<string, number>();
          for (const frame of everyone) {
            const user = frame.schema.fields[1].labels?.user as string;
            totalPerUser.set(user, (totalPerUser.get(user) ?? 0) + totalOf(frame));
          }
          const top = [...totalPerUser]
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .slice(0, topN)
            .map(([user]) => user);
          const expected = everyone.filter((frame) => top.includes(frame.schema.fields[1].labels?.user as string));
          expect(framesFor(store.db, { ...query, topN }, range)).toEqual(expected);
        }
      }
    }
  });
});
