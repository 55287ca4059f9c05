import path from 'node:path';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { rollUp } from '../../backend/src/store/rollups';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import type { ObservedSession } from '../../backend/src/model';
import { framesFor } from '../support/query-frames';
import { ROLLUP_LEVELS, misSealedRows, serverRollupsAndUserSums, longRowsAndDaySums } from '../support/rollup-sums';
import { makeTempDir } from '../support/temp-dir';

/** Raw deltas with their session's server and user, as ground truth for the rollups. */
const RAW_WITH_USER =
  '(SELECT t.ts, s.server_id, s.user, t.bytes_in, t.bytes_out FROM traffic t JOIN sessions s ON s.id = t.session_id)';

const at = (iso: string): number => Date.parse(iso) / 1000;
const DAY = 86_400;

const session = (
  key: string,
  user: string,
  bytesIn: number,
  bytesOut: number,
  connectedSince: number
): ObservedSession => ({
  key,
  user,
  commonName: user,
  realAddress: '198.18.0.2:41000',
  virtualIpv4: `198.19.0.${key}`,
  clientId: Number(key),
  connectedSince,
  bytesIn,
  bytesOut,
});

type DayTotal = { ts: number; user: string; bytesIn: number; bytesOut: number };

describe('rollups on a real SQLite file', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Db;
  const start = at('2024-03-04T23:40:00Z');
  const end = at('2024-03-05T00:20:00Z');

  beforeAll(() => {
    temp = makeTempDir();
    db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
    const tracker = new SessionTracker(new SessionStore(db));
    tracker.registerServer('udp1194', 'openvpn', { size: 253, source: 'test' });
    tracker.registerServer('tcp443', 'openvpn', { size: 253, source: 'test' });
    let polls = 0;
    for (let ts = start; ts <= end; ts += 10) {
      const n = (ts - start) / 10;
      // alice's counters restart at 23:58 (a server restart keeps the session but zeroes its counters)
      const alice = ts < at('2024-03-04T23:58:00Z') ? 1_000 + n * 1_337 : 7 * (n - 108);
      tracker.applySnapshot({
        server: 'udp1194',
        ts,
        sessions: [session('1', 'alice', alice, alice * 3, start), session('2', 'bob', n * 101, n * 7, start)],
      });
      tracker.applySnapshot({ server: 'tcp443', ts, sessions: [session('3', 'alice', n * 11, n * 13, start)] });
      if (++polls % 7 === 0) {
        rollUp(db);
      }
    }
    rollUp(db);
    // Late rows: a session recorded whole after it ended, its bytes spread over past hours.
    tracker.finishSession('tcp443', {
      session: session('9', 'carol', 9_999_991, 123_457, at('2024-03-03T20:17:00Z')),
      endedAt: at('2024-03-04T23:51:13Z'),
      endReason: 'imported',
    });
    rollUp(db);
  });

  afterAll(() => {
    db.close();
    temp.cleanup();
  });

  const dayTotalsFrom = (sql: string): DayTotal[] => db.prepare(`${sql} ORDER BY ts, user`).all() as DayTotal[];

  it('keeps per-user day totals equal to the sum of the raw deltas, across a counter reset and midnight', () => {
    const fromRollup = dayTotalsFrom(
      'SELECT ts, user, SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut FROM traffic_day GROUP BY ts, user'
    );
    const fromRaw = dayTotalsFrom(
      `SELECT (ts - 1) - (ts - 1) % ${DAY} + ${DAY} AS ts, user, SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut
       FROM ${RAW_WITH_USER} GROUP BY 1, user`
    );
    expect(fromRollup).toEqual(fromRaw);
    expect(new Set(fromRollup.map((row) => row.ts)).size).toBeGreaterThanOrEqual(3);
    expect(fromRollup.find((row) => row.user === 'carol')).toBeDefined();
  });

  it('lands a finished session recorded after the fact in the hours it spanned', () => {
    const carol = db
      .prepare("SELECT SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut FROM traffic_hour WHERE user = 'carol'")
      .get();
    expect(carol).toEqual({ bytesIn: 9_999_991, bytesOut: 123_457 });
  });

  it('keeps minute and hour rollups equal to the raw deltas per server and user', () => {
    for (const [table, width] of [
      ['traffic_minute', 60],
      ['traffic_hour', 3_600],
    ] as const) {
      const rolled = db.prepare(`SELECT ts, server_id, user, bytes_in, bytes_out FROM ${table} ORDER BY 1, 2, 3`).all();
      const raw = db
        .prepare(
          `SELECT (ts - 1) - (ts - 1) % ${width} + ${width} AS ts, server_id, user, SUM(bytes_in) AS bytes_in,
                  SUM(bytes_out) AS bytes_out FROM ${RAW_WITH_USER} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
        )
        .all();
      expect(rolled).toEqual(raw);
    }
  });

  it('keeps per-server rollups equal to the sums of the per-user ones, late session included', () => {
    for (const level of ROLLUP_LEVELS) {
      const { perServer, userSums } = serverRollupsAndUserSums(db, level);
      expect(perServer).toEqual(userSums);
      expect(perServer.length).toBeGreaterThanOrEqual(level === 'day' ? 3 : 6);
    }
  });

  it('keeps per-user week and four-week rows equal to the day rows summed per week and four weeks', () => {
    const { long, daySums } = longRowsAndDaySums(db);
    expect(long).toEqual(daySums);
    expect(long.length).toBeGreaterThanOrEqual(6);
  });

  it('seals per-user rows up to a few minutes ago, the late session’s rows included', () => {
    const { wrong, sealedRows } = misSealedRows(db);
    expect(wrong).toEqual([]);
    expect(sealedRows).toBeGreaterThan(100);
    const { through } = db.prepare('SELECT through FROM traffic_sealed').get() as { through: number };
    expect(through).toBeGreaterThanOrEqual(end - 12 * 60);
    const carol = db.prepare("SELECT SUM(sealed) AS sealed, COUNT(*) AS n FROM traffic_hour WHERE user = 'carol'");
    expect(carol.get()).toEqual({ sealed: 28, n: 28 });
  });

  it('answers aligned traffic queries from rollups exactly as from the raw table', () => {
    const range = { from: at('2024-03-03T00:00:00Z'), to: at('2024-03-05T00:20:00Z'), now: end };
    const queries = [
      { queryType: 'traffic' as const, groupBy: 'user' as const, unit: 'volume' as const },
      { queryType: 'traffic' as const, groupBy: 'server' as const },
      { queryType: 'traffic' as const, groupBy: 'none' as const },
    ];
    for (const intervalS of [60, 3_600, DAY]) {
      for (const query of queries) {
        const viaRollups = framesFor(db, query, { ...range, intervalS });
        const through = db.prepare('SELECT rolled_through FROM rollup_state').get();
        db.prepare('DELETE FROM rollup_state').run();
        const viaRaw = framesFor(db, query, { ...range, intervalS });
        db.prepare('INSERT INTO rollup_state (id, rolled_through) VALUES (1, @rolled_through)').run(through);
        expect(viaRollups).toEqual(viaRaw);
      }
    }
  });

  it('reads the hour table for hourly buckets, so raw rows may be gone', () => {
    const range = { from: at('2024-03-03T00:00:00Z'), to: at('2024-03-05T00:00:00Z'), now: end, intervalS: 3_600 };
    const query = { queryType: 'traffic' as const, groupBy: 'none' as const, unit: 'volume' as const };
    const before = framesFor(db, query, range);
    db.prepare('DELETE FROM traffic WHERE ts <= ?').run(range.to);
    expect(framesFor(db, query, range)).toEqual(before);
    const total = (before[0].data?.values[1] as number[]).reduce((sum, value) => sum + value, 0);
    expect(total).toBeGreaterThan(9_999_991);
  });
});
