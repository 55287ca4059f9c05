import type { DataFrameJSON } from '../../backend/src/contract';
import type { Db } from '../../backend/src/store/database';
import { applyRetention } from '../../backend/src/store/retention';
import { rollUp } from '../../backend/src/store/rollups';
import { framesFor, valuesOf } from '../support/query-frames';
import { addCapacity, addServer, at, openTestDatabase, type TestDatabase } from '../support/seed-db';

const HOUR = 3_600;
const DAY = 86_400;

/** A pool's use over a day: busy in the afternoon, quiet at night, jittering from sample to sample. */
const usedAt = (ts: number, scale: number): number =>
  Math.floor(scale * (0.5 + 0.4 * Math.sin((2 * Math.PI * (ts % DAY)) / DAY)) + ((ts * 7_919) % 13));

/** Samples every `everyS` seconds in [from, to), marked for rollUp as a poll marks them. */
function addSamples(db: Db, serverId: number, pool: string, span: { from: number; to: number; everyS: number }) {
  const size = pool === 'ipv6' ? 50 : serverId === 1 ? 200 : null;
  db.transaction(() => {
    for (let ts = span.from; ts < span.to; ts += span.everyS) {
      addCapacity(db, serverId, pool, ts, usedAt(ts, pool === 'ipv6' ? 30 : 150), size);
    }
    db.prepare('INSERT INTO rollup_dirty (from_ts, to_ts) VALUES (?, ?)').run(span.from, span.to - 1);
  })();
}

const rollUpEverything = (db: Db): void => {
  while (rollUp(db)) {
    // each call rolls up one bounded chunk
  }
};

/** The same query answered from the raw samples alone, as before any rollUp. */
function fromRawOnly(db: Db, run: () => DataFrameJSON[]): DataFrameJSON[] {
  const state = db.prepare('SELECT rolled_through FROM rollup_state').get();
  db.prepare('DELETE FROM rollup_state').run();
  try {
    return run();
  } finally {
    db.prepare('INSERT INTO rollup_state (id, rolled_through) VALUES (1, @rolled_through)').run(state);
  }
}

const stepsOf = (frame: DataFrameJSON): number[] => {
  const times = valuesOf(frame, 'time') as number[];
  return [...new Set(times.slice(1).map((time, index) => (time - times[index]) / 1000))];
};

describe('capacity queries on rollups', () => {
  let store: TestDatabase;
  const start = at('2024-03-04T00:00:00Z');
  const end = start + 3 * DAY;
  const range = { from: start, to: end, now: end, maxDataPoints: 100_000 };

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const vpnA = addServer(db, 'vpn-a', { poolSize: 200 });
    const vpnB = addServer(db, 'vpn-b');
    addSamples(db, vpnA, 'ipv4', { from: start, to: end, everyS: 10 });
    addSamples(db, vpnA, 'ipv6', { from: start, to: end, everyS: 10 });
    addSamples(db, vpnB, 'ipv4', { from: start, to: end, everyS: 30 });
    rollUpEverything(db);
  });
  afterAll(() => store.close());

  it('gives the same peaks from minute, hour and day rollups as from the raw samples over three days', () => {
    const { db } = store;
    for (const intervalS of [600, HOUR, 6 * HOUR, DAY]) {
      for (const measure of ['counts', 'percent'] as const) {
        const query = { queryType: 'capacity' as const, measure };
        const viaRollups = framesFor(db, query, { ...range, intervalS });
        expect(viaRollups).toEqual(fromRawOnly(db, () => framesFor(db, query, { ...range, intervalS })));
        expect(viaRollups.map((frame) => frame.schema.name)).toEqual(['vpn-a ipv4', 'vpn-a ipv6', 'vpn-b ipv4']);
        expect(stepsOf(viaRollups[0])).toEqual([intervalS]);
      }
    }
  });

  it('still answers hourly and daily buckets once the raw samples are gone', () => {
    const { db } = store;
    const query = { queryType: 'capacity' as const, measure: 'counts' as const, server: 'vpn-a' };
    const hourly = framesFor(db, query, { ...range, intervalS: HOUR });
    const daily = framesFor(db, query, { ...range, intervalS: DAY });
    const raw = db.prepare('SELECT * FROM capacity').all();
    db.prepare('DELETE FROM capacity').run();
    try {
      expect(framesFor(db, query, { ...range, intervalS: HOUR })).toEqual(hourly);
      expect(framesFor(db, query, { ...range, intervalS: DAY })).toEqual(daily);
    } finally {
      const restore = db.prepare('INSERT INTO capacity VALUES (@server_id, @pool, @ts, @used, @size)');
      db.transaction(() => raw.forEach((row) => restore.run(row)))();
    }
    const peak = Math.max(...(valuesOf(daily[0], 'used') as number[]));
    const rawPeak = db.prepare("SELECT MAX(used) AS peak FROM capacity WHERE server_id = 1 AND pool = 'ipv4'").get();
    expect(rawPeak).toEqual({ peak });
  });

  it('tops up from raw samples the rollups do not hold yet', () => {
    const { db } = store;
    const late = { from: end, to: end + HOUR, everyS: 10 };
    addSamples(db, 1, 'ipv4', late);
    db.prepare('UPDATE capacity SET used = 199 WHERE server_id = 1 AND pool = ? AND ts = ?').run('ipv4', end + 600);
    const query = { queryType: 'capacity' as const, measure: 'counts' as const, server: 'vpn-a' };
    const options = { from: start, to: end + HOUR, now: end + HOUR, intervalS: HOUR, maxDataPoints: 100_000 };
    const [ipv4] = framesFor(db, query, options);
    expect((valuesOf(ipv4, 'used') as number[]).at(-1)).toBe(199);
    expect(framesFor(db, query, options)).toEqual(fromRawOnly(db, () => framesFor(db, query, options)));
  });
});

describe('capacity over a month once retention has pruned', () => {
  let store: TestDatabase;
  const start = at('2024-02-01T00:00:00Z');
  const end = start + 30 * DAY;
  const month = { from: start, to: end, now: end, maxDataPoints: 100_000 };
  const query = { queryType: 'capacity' as const, measure: 'counts' as const };
  let hourlyBefore: DataFrameJSON[];

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    addServer(db, 'vpn-a', { poolSize: 200 });
    addSamples(db, 1, 'ipv4', { from: start, to: end, everyS: 300 });
    rollUpEverything(db);
    hourlyBefore = framesFor(db, query, { ...month, intervalS: HOUR });
    const retention = { rawDays: 1, minuteDays: 2, hourDays: 60, dayDays: 60, eventsDays: 60, sessionsDays: 60 };
    applyRetention(db, retention, end);
  });
  afterAll(() => store.close());

  it('reads a 30-day range at 1 h from the hour table: raw samples and minute rollups are pruned', () => {
    const { db } = store;
    const kept = db.prepare('SELECT MIN(ts) AS raw, (SELECT MIN(ts) FROM capacity_minute) AS minute FROM capacity');
    expect(kept.get()).toEqual({ raw: end - DAY, minute: end - 2 * DAY });
    expect(framesFor(db, query, { ...month, intervalS: HOUR })).toEqual(hourlyBefore);
  });

  it('widens 10-minute buckets to hours where only the hour table holds the range', () => {
    const { db } = store;
    const widened = framesFor(db, query, { ...month, intervalS: 600 });
    expect(stepsOf(widened[0])).toEqual([HOUR]);
    expect(widened).toEqual(hourlyBefore);
    const lastDay = framesFor(db, query, { ...month, from: end - DAY, intervalS: 600 });
    expect(stepsOf(lastDay[0])).toEqual([600]);
  });

  it('tables the latest sample of a range the raw samples no longer reach from the rollups', () => {
    const { db } = store;
    const tenDaysAgo = end - 10 * DAY;
    const [table] = framesFor(db, { queryType: 'capacity', format: 'table' }, { ...month, to: tenDaysAgo + 1_800 });
    const peak = db.prepare('SELECT max_used AS used FROM capacity_hour WHERE ts = ?').get(tenDaysAgo) as {
      used: number;
    };
    expect(valuesOf(table, 'time')).toEqual([tenDaysAgo * 1000]);
    expect(valuesOf(table, 'used')).toEqual([peak.used]);
    const [recent] = framesFor(db, { queryType: 'capacity', format: 'table' }, month);
    expect(valuesOf(recent, 'time')).toEqual([(end - 300) * 1000]);
  });
});
