import path from 'node:path';
import type { RetentionConfig } from '../../backend/src/config';
import type { ObservedSession } from '../../backend/src/model';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { applyRetention, applyRetentionInBatches } from '../../backend/src/store/retention';
import { rollUp } from '../../backend/src/store/rollups';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import { framesFor } from '../support/query-frames';
import { ROLLUP_LEVELS, misSealedRows, serverRollupsAndUserSums } from '../support/rollup-sums';
import { at } from '../support/seed-db';
import { makeTempDir } from '../support/temp-dir';

// Six days of polls through the tracker per setup: seconds on a loaded CI machine, not 5.
jest.setTimeout(60_000);

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

const retention: RetentionConfig = {
  rawDays: 2,
  minuteDays: 3,
  hourDays: 4,
  dayDays: 5,
  eventsDays: 3,
  sessionsDays: 4,
};

const start = at('2024-03-01T00:00:00Z');
const end = start + 6 * DAY;
const USERS = ['ann', 'bob', 'cem', 'dag', 'eve', 'fay', 'gus', 'hal'];

/**
 * Six days of two servers polled every minute through the tracker, rolled up every ten polls as
 * the service does. Each user reconnects every 30 hours or so (a new session), so sessions end
 * all along.
 */
function pollSixDays(db: Db): SessionTracker {
  const tracker = new SessionTracker(new SessionStore(db));
  tracker.registerServer('udp1194', 'openvpn', { size: 253, source: 'test' });
  tracker.registerServer('tcp443', 'openvpn', { size: 253, source: 'test' });
  const observe = (user: string, index: number, ts: number): ObservedSession => {
    const lifeS = 30 * HOUR + index * 1_111;
    const connectedSince = ts - ((ts - start) % lifeS);
    const up = ts - connectedSince;
    return {
      key: `${user}-${connectedSince}`,
      user,
      commonName: user,
      realAddress: `198.18.0.${index + 2}:4${index}000`,
      virtualIpv4: `198.19.0.${index + 2}`,
      clientId: index,
      connectedSince,
      bytesIn: up * (100 + index),
      bytesOut: up * (7 + index),
    };
  };
  for (let ts = start + MINUTE, polls = 0; ts <= end; ts += MINUTE) {
    for (const [server, users] of [
      ['udp1194', USERS.slice(0, 5)],
      ['tcp443', USERS.slice(5)],
    ] as const) {
      tracker.applySnapshot({ server, ts, sessions: users.map((user) => observe(user, USERS.indexOf(user), ts)) });
    }
    if (++polls % 10 === 0) {
      rollUp(db);
    }
  }
  rollUp(db);
  return tracker;
}

const count = (db: Db, sql: string, ...params: number[]): number =>
  (db.prepare(`SELECT COUNT(*) AS n FROM (${sql})`).get(...params) as { n: number }).n;

const rowsOf = (db: Db, sql: string, ...params: number[]): unknown[] => db.prepare(sql).all(...params);

describe('retention on six days of polls', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Db;
  let tracker: SessionTracker;
  const before: Record<string, unknown> = {};
  let deleted: Record<string, number>;
  const dailyTotals = { queryType: 'traffic' as const, groupBy: 'user' as const, totals: 'day' as const };
  const lastDays = { from: end - 4 * DAY, to: end, now: end };

  beforeAll(() => {
    temp = makeTempDir();
    db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
    tracker = pollSixDays(db);
    before.totals = framesFor(db, dailyTotals, lastDays);
    before.recentRaw = rowsOf(db, 'SELECT * FROM traffic WHERE ts > ? ORDER BY ts, session_id', end - 2 * DAY);
    before.hours = rowsOf(db, 'SELECT * FROM traffic_hour WHERE ts > ? ORDER BY 1, 2, 3', end - 4 * DAY);
    before.minutes = rowsOf(db, 'SELECT * FROM traffic_minute WHERE ts > ? ORDER BY 1, 2, 3', end - 3 * DAY);
    before.hourly = framesFor(
      db,
      { queryType: 'traffic', groupBy: 'user', unit: 'volume' },
      { ...lastDays, intervalS: HOUR }
    );
    before.oldRaw = count(db, 'SELECT 1 FROM traffic WHERE ts <= ?', end - 2 * DAY);
    deleted = applyRetention(db, retention, end).deleted;
  });

  afterAll(() => {
    db.close();
    temp.cleanup();
  });

  it('keeps raw traffic for rawDays, minutes for minuteDays, hours for hourDays and days for dayDays', () => {
    const oldest = (table: string) => (db.prepare(`SELECT MIN(ts) AS ts FROM ${table}`).get() as { ts: number }).ts;
    expect(oldest('traffic')).toBe(end - 2 * DAY + MINUTE);
    expect(oldest('traffic_minute')).toBe(end - 3 * DAY + MINUTE);
    expect(oldest('traffic_hour')).toBe(end - 4 * DAY + HOUR);
    expect(oldest('traffic_day')).toBe(end - 4 * DAY);
    // Week rows go in whole weeks (of the epoch, ending on Thursdays): 2024-03-07 ends the oldest.
    expect(oldest('traffic_week')).toBe(at('2024-03-07T00:00:00Z'));
    expect(oldest('capacity')).toBe(end - 2 * DAY);
    expect(oldest('capacity_minute')).toBe(end - 3 * DAY);
    expect(oldest('traffic_server_minute')).toBe(end - 3 * DAY + MINUTE);
    expect(oldest('traffic_server_hour')).toBe(end - 4 * DAY + HOUR);
    expect(oldest('traffic_server_day')).toBe(end - 4 * DAY);
    expect(rowsOf(db, 'SELECT * FROM traffic ORDER BY ts, session_id')).toEqual(before.recentRaw);
    expect(deleted.traffic).toBe(before.oldRaw);
    expect(deleted.traffic).toBeGreaterThan(4 * (DAY / MINUTE) * (USERS.length - 1));
  });

  it('leaves what it keeps as it was: hours, minutes and the daily totals per user', () => {
    expect(rowsOf(db, 'SELECT * FROM traffic_hour ORDER BY 1, 2, 3')).toEqual(before.hours);
    expect(rowsOf(db, 'SELECT * FROM traffic_minute ORDER BY 1, 2, 3')).toEqual(before.minutes);
    expect(framesFor(db, dailyTotals, lastDays)).toEqual(before.totals);
  });

  it('deletes ended sessions past sessionsDays and their counters, and events past eventsDays', () => {
    expect(deleted.sessions).toBeGreaterThan(0);
    expect(count(db, 'SELECT 1 FROM sessions WHERE ended_at < ?', end - 4 * DAY)).toBe(0);
    expect(count(db, 'SELECT 1 FROM sessions WHERE ended_at >= ?', end - 4 * DAY)).toBeGreaterThan(0);
    expect(count(db, 'SELECT 1 FROM sessions WHERE ended_at IS NULL')).toBe(USERS.length);
    expect(count(db, 'SELECT 1 FROM session_counters WHERE session_id NOT IN (SELECT id FROM sessions)')).toBe(0);
    expect(count(db, 'SELECT 1 FROM traffic WHERE session_id NOT IN (SELECT id FROM sessions)')).toBe(0);
    expect(count(db, 'SELECT 1 FROM events WHERE ts < ?', end - 3 * DAY)).toBe(0);
    expect(count(db, 'SELECT 1 FROM events WHERE ts >= ?', end - 3 * DAY)).toBeGreaterThan(0);
  });

  it('widens buckets to hours where only the hour table still holds the start of the range', () => {
    const tenMinutes = framesFor(
      db,
      { queryType: 'traffic', groupBy: 'user', unit: 'volume' },
      {
        ...lastDays,
        intervalS: 600,
      }
    );
    expect(tenMinutes).toEqual(before.hourly);
    const times = tenMinutes[0].data.values[0] as number[];
    expect(times[1] - times[0]).toBe(HOUR * 1000);
  });

  it('adds a session recorded late, where raw traffic is pruned, to the rollups without losing what they held', () => {
    const endedAt = end - 2.5 * DAY;
    const others = (table: string) => rowsOf(db, `SELECT * FROM ${table} WHERE user <> 'zed' ORDER BY 1, 2, 3`);
    const held = {
      minute: others('traffic_minute'),
      hour: others('traffic_hour'),
      day: others('traffic_day'),
      week: others('traffic_week'),
    };
    tracker.finishSession('udp1194', {
      session: {
        key: 'zed-late',
        user: 'zed',
        commonName: 'zed',
        realAddress: '198.18.0.99:41000',
        connectedSince: endedAt - 20 * HOUR,
        bytesIn: 9_000_001,
        bytesOut: 70_003,
      },
      endedAt,
      endReason: 'imported',
    });
    rollUp(db);
    expect({
      minute: others('traffic_minute'),
      hour: others('traffic_hour'),
      day: others('traffic_day'),
      week: others('traffic_week'),
    }).toEqual(held);
    for (const table of ['traffic_hour', 'traffic_day', 'traffic_week']) {
      const zed = db.prepare(
        `SELECT SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut FROM ${table} WHERE user = 'zed'`
      );
      expect(zed.get()).toEqual({ bytesIn: 9_000_001, bytesOut: 70_003 });
    }
    expect(count(db, 'SELECT 1 FROM traffic WHERE ts <= ?', end - 2 * DAY)).toBe(0);
    expect(count(db, 'SELECT 1 FROM rollup_dirty')).toBe(0);
    for (const level of ROLLUP_LEVELS) {
      const { perServer, userSums } = serverRollupsAndUserSums(db, level);
      expect(perServer).toEqual(userSums);
    }
    expect(misSealedRows(db).wrong).toEqual([]);
    expect(db.prepare("SELECT MIN(sealed) AS sealed FROM traffic_day WHERE user = 'zed'").get()).toEqual({ sealed: 1 });
  });
});

describe('retention and the rollups', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.cleanup());

  it('never deletes raw rows the rollups have not absorbed', () => {
    const db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
    const tracker = new SessionTracker(new SessionStore(db));
    tracker.registerServer('udp1194', 'openvpn', { size: 253, source: 'test' });
    const poll = (ts: number) =>
      tracker.applySnapshot({
        server: 'udp1194',
        ts,
        sessions: [
          {
            key: '1',
            user: 'ann',
            commonName: 'ann',
            realAddress: '198.18.0.2:41000',
            connectedSince: start,
            bytesIn: (ts - start) * 10,
            bytesOut: ts - start,
          },
        ],
      });
    for (let ts = start + MINUTE; ts <= start + DAY; ts += MINUTE) {
      poll(ts);
    }
    const later = start + 30 * DAY;
    const longRollups = { ...retention, minuteDays: 40, hourDays: 40, dayDays: 40, sessionsDays: 40 };
    expect(applyRetention(db, longRollups, later).deleted.traffic).toBe(0);
    rollUp(db);
    for (let ts = start + DAY + MINUTE; ts <= start + 2 * DAY; ts += MINUTE) {
      poll(ts);
    }
    const firstDay = count(db, 'SELECT 1 FROM traffic WHERE ts <= ?', start + DAY);
    const polled = db.prepare('SELECT SUM(bytes_in) AS bytesIn FROM traffic').get();
    expect(applyRetention(db, longRollups, later).deleted.traffic).toBe(firstDay);
    expect(count(db, 'SELECT 1 FROM traffic')).toBe(DAY / MINUTE);
    rollUp(db);
    applyRetention(db, longRollups, later);
    expect(count(db, 'SELECT 1 FROM traffic')).toBe(0);
    expect(db.prepare('SELECT SUM(bytes_in) AS bytesIn FROM traffic_day').get()).toEqual(polled);
    db.close();
  });

  it('lets polls write between its transactions', async () => {
    const db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
    const tracker = pollSixDays(db);
    const oldRows = () => count(db, 'SELECT 1 FROM traffic WHERE ts <= ?', end - 2 * DAY);
    const total = oldRows();
    const seenByPolls: number[] = [];
    const pollMeanwhile = (ts: number): void => {
      setImmediate(() => {
        tracker.applySnapshot({ server: 'udp1194', ts, sessions: [] });
        seenByPolls.push(oldRows());
        if (seenByPolls.length < 4) {
          pollMeanwhile(ts + 10);
        }
      });
    };
    pollMeanwhile(end + 10);
    const { deleted } = await applyRetentionInBatches(db, retention, end);
    expect(deleted.traffic).toBe(total);
    expect(seenByPolls).toHaveLength(4);
    expect(seenByPolls[0]).toBeGreaterThan(0);
    expect(seenByPolls[0]).toBeLessThan(total);
    expect(seenByPolls[3]).toBeLessThan(seenByPolls[0]);
    expect(total).toBeGreaterThan(4 * 5_000);
    db.close();
  });
});
