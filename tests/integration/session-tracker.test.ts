import path from 'node:path';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import type { ObservedSession } from '../../backend/src/model';
import { makeTempDir } from '../support/temp-dir';
import { SESSIONS_WITH_COUNTERS } from '../support/session-rows';

const session = (
  key: string,
  user: string,
  bytesIn: number,
  bytesOut: number,
  connectedSince = 1_000
): ObservedSession => ({
  key,
  user,
  commonName: user,
  realAddress: '198.18.0.2:41000',
  virtualIpv4: '198.19.0.2',
  clientId: Number(key),
  connectedSince,
  bytesIn,
  bytesOut,
});

describe('SessionTracker on a real SQLite file', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dbPath: string;
  let db: Db;
  let tracker: SessionTracker;

  beforeEach(() => {
    temp = makeTempDir();
    dbPath = path.join(temp.dir, 'vpnscope.db');
    db = openDatabase(dbPath);
    tracker = new SessionTracker(new SessionStore(db));
    tracker.registerServer('udp1194', 'openvpn', { size: 253, source: 'test' });
  });

  afterEach(() => {
    db.close();
    temp.cleanup();
  });

  const trafficSum = () =>
    db
      .prepare('SELECT COALESCE(SUM(bytes_in),0) AS bytesIn, COALESCE(SUM(bytes_out),0) AS bytesOut FROM traffic')
      .get() as {
      bytesIn: number;
      bytesOut: number;
    };

  it('records sessions, deltas, capacity and connect/disconnect events across polls', () => {
    tracker.applySnapshot({ server: 'udp1194', ts: 2_000, sessions: [session('1', 'alice', 100, 200)] });
    tracker.applySnapshot({
      server: 'udp1194',
      ts: 2_010,
      sessions: [session('1', 'alice', 400, 260), session('2', 'bob', 50, 60, 2_005)],
    });
    const summary = tracker.applySnapshot({
      server: 'udp1194',
      ts: 2_020,
      sessions: [session('2', 'bob', 80, 90, 2_005)],
    });

    expect(summary).toMatchObject({ opened: 0, closed: 1, active: 1, poolSize: 253 });
    expect(tracker.serverStates()).toEqual([
      { name: 'udp1194', kind: 'openvpn', pool: { size: 253, source: 'test' }, liveSessions: 1, lastPollAt: 2_020 },
    ]);
    const rows = db
      .prepare(
        `SELECT user, started_at, ended_at, bytes_in, bytes_out, end_reason FROM ${SESSIONS_WITH_COUNTERS} ORDER BY id`
      )
      .all();
    expect(rows).toEqual([
      { user: 'alice', started_at: 1_000, ended_at: 2_020, bytes_in: 400, bytes_out: 260, end_reason: 'vanished' },
      { user: 'bob', started_at: 2_005, ended_at: null, bytes_in: 80, bytes_out: 90, end_reason: null },
    ]);
    // alice existed before the first poll: her first reading is a baseline; bob started in between: counted from zero
    expect(trafficSum()).toEqual({ bytesIn: 300 + 50 + 30, bytesOut: 60 + 60 + 30 });
    expect(db.prepare('SELECT ts, used, size FROM capacity ORDER BY ts').all()).toEqual([
      { ts: 2_000, used: 1, size: 253 },
      { ts: 2_010, used: 2, size: 253 },
      { ts: 2_020, used: 1, size: 253 },
    ]);
    expect(db.prepare('SELECT kind, user FROM events ORDER BY id').all()).toEqual([
      { kind: 'connect', user: 'alice' },
      { kind: 'connect', user: 'bob' },
      { kind: 'disconnect', user: 'alice' },
    ]);
  });

  it('continues the same sessions after vpnscope restarts, without duplicates or double counting', () => {
    tracker.applySnapshot({ server: 'udp1194', ts: 2_000, sessions: [session('1', 'alice', 100, 100)] });
    tracker.applySnapshot({ server: 'udp1194', ts: 2_010, sessions: [session('1', 'alice', 150, 120)] });
    db.close();

    db = openDatabase(dbPath);
    const restarted = new SessionTracker(new SessionStore(db));
    restarted.registerServer('udp1194', 'openvpn', { size: 253, source: 'test' });
    restarted.applySnapshot({ server: 'udp1194', ts: 2_020, sessions: [session('1', 'alice', 170, 125)] });

    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 1 });
    expect(trafficSum()).toEqual({ bytesIn: 70, bytesOut: 25 });
  });

  it('keeps per-interval traffic exact across a counter reset', () => {
    tracker.applySnapshot({ server: 'udp1194', ts: 2_000, sessions: [session('1', 'alice', 1_000, 1_000)] });
    tracker.applySnapshot({ server: 'udp1194', ts: 2_010, sessions: [session('1', 'alice', 1_500, 1_100)] });
    tracker.applySnapshot({ server: 'udp1194', ts: 2_020, sessions: [session('1', 'alice', 200, 50)] });
    const deltas = db.prepare('SELECT ts, bytes_in AS i, bytes_out AS o FROM traffic ORDER BY ts').all();
    expect(deltas).toEqual([
      { ts: 2_010, i: 500, o: 100 },
      { ts: 2_020, i: 200, o: 50 },
    ]);
  });

  it('stores a virtual address assigned after the first poll, and keeps it after a restart', () => {
    tracker.applySnapshot({
      server: 'udp1194',
      ts: 2_000,
      sessions: [{ ...session('1', 'alice', 1, 1), virtualIpv4: undefined }],
    });
    tracker.applySnapshot({ server: 'udp1194', ts: 2_010, sessions: [session('1', 'alice', 2, 2)] });
    tracker.applySnapshot({ server: 'udp1194', ts: 2_020, sessions: [session('1', 'alice', 3, 3)] });
    expect(db.prepare(`SELECT virtual_ipv4, last_seen, bytes_in FROM ${SESSIONS_WITH_COUNTERS}`).get()).toEqual({
      virtual_ipv4: '198.19.0.2',
      last_seen: 2_020,
      bytes_in: 3,
    });
  });

  it('tells duplicate common names apart by client id', () => {
    tracker.applySnapshot({
      server: 'udp1194',
      ts: 2_000,
      sessions: [session('1', 'shared', 1, 1), session('2', 'shared', 2, 2)],
    });
    tracker.applySnapshot({ server: 'udp1194', ts: 2_010, sessions: [session('2', 'shared', 3, 3)] });
    const rows = db.prepare('SELECT client_id, ended_at FROM sessions ORDER BY client_id').all();
    expect(rows).toEqual([
      { client_id: 1, ended_at: 2_010 },
      { client_id: 2, ended_at: null },
    ]);
  });

  it('updates the pool size when the server reports an exact one', () => {
    const summary = tracker.applySnapshot({ server: 'udp1194', ts: 2_000, sessions: [], poolSize: 200 });
    expect(summary.poolSize).toBe(200);
    expect(db.prepare('SELECT pool_size, pool_size_source FROM servers').get()).toEqual({
      pool_size: 200,
      pool_size_source: 'reported by the server',
    });
  });

  it('counts byte counts between polls once, whatever the next status poll says', () => {
    tracker.applySnapshot({ server: 'udp1194', ts: 2_000, sessions: [session('7', 'carol', 100, 100)] });
    expect(
      tracker.applyCounters('udp1194', 2_003, [
        { clientId: 7, bytesIn: 160, bytesOut: 130 },
        { clientId: 99, bytesIn: 5, bytesOut: 5 },
      ])
    ).toBe(1);
    tracker.applyCounters('udp1194', 2_006, [{ clientId: 7, bytesIn: 200, bytesOut: 150 }]);
    tracker.applySnapshot({ server: 'udp1194', ts: 2_010, sessions: [session('7', 'carol', 210, 150)] });
    expect(db.prepare('SELECT ts, bytes_in AS i, bytes_out AS o FROM traffic ORDER BY ts').all()).toEqual([
      { ts: 2_003, i: 60, o: 30 },
      { ts: 2_006, i: 40, o: 20 },
      { ts: 2_010, i: 10, o: 0 },
    ]);
  });

  it('attaches app and platform to a session even when they arrive before its first poll', () => {
    const info = {
      app: 'org.eduvpn.app.windows',
      appVersion: '4.1.0',
      platform: 'win',
      platformVersion: '10',
      clientVersion: '2.6.14',
    };
    tracker.setClientInfo('udp1194', 3, info, 1_999);
    tracker.applySnapshot({ server: 'udp1194', ts: 2_000, sessions: [session('3', 'dave', 1, 1)] });
    tracker.setClientInfo('udp1194', 3, { ...info, appVersion: '4.2.0' }, 2_001);
    expect(db.prepare('SELECT app, app_version, platform, client_version FROM sessions').get()).toEqual({
      app: 'org.eduvpn.app.windows',
      app_version: '4.2.0',
      platform: 'win',
      client_version: '2.6.14',
    });
  });

  it('ends a live session at its exact end with its last bytes', () => {
    tracker.applySnapshot({ server: 'udp1194', ts: 2_000, sessions: [session('1', 'erin', 100, 100)] });
    tracker.finishSession('udp1194', {
      session: session('1', 'erin', 180, 150),
      endedAt: 2_004,
      endReason: 'LCP terminated by peer',
    });
    tracker.applySnapshot({ server: 'udp1194', ts: 2_010, sessions: [] });
    expect(db.prepare(`SELECT ended_at, end_reason, bytes_in FROM ${SESSIONS_WITH_COUNTERS}`).all()).toEqual([
      { ended_at: 2_004, end_reason: 'LCP terminated by peer', bytes_in: 180 },
    ]);
    expect(trafficSum()).toEqual({ bytesIn: 80, bytesOut: 50 });
  });

  it('records a backfilled session whole, once, however often the same log is imported', () => {
    const old = { session: session('5', 'frank', 7_200, 3_600, 10_800), endedAt: 18_000, endReason: 'Modem hangup' };
    tracker.finishSession('udp1194', old);
    tracker.finishSession('udp1194', old);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT ts, bytes_in AS i FROM traffic ORDER BY ts').all()).toEqual([
      { ts: 14_400, i: 3_600 },
      { ts: 18_000, i: 3_600 },
    ]);
    expect(db.prepare('SELECT kind, ts FROM events ORDER BY ts').all()).toEqual([
      { kind: 'connect', ts: 10_800 },
      { kind: 'disconnect', ts: 18_000 },
    ]);
  });

  it('reopens a session that vanished from one report and came back, instead of failing the poll', () => {
    tracker.applySnapshot({ server: 'udp1194', ts: 2_000, sessions: [session('1', 'gina', 1, 1)] });
    tracker.applySnapshot({ server: 'udp1194', ts: 2_010, sessions: [] });
    const summary = tracker.applySnapshot({ server: 'udp1194', ts: 2_020, sessions: [session('1', 'gina', 5, 5)] });
    expect(summary.active).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n, MAX(ended_at) AS ended FROM sessions').get()).toEqual({
      n: 1,
      ended: null,
    });
  });

  it('tells its listeners exactly the traffic and events it stored', () => {
    const heard = { bytesIn: 0, bytesOut: 0, kinds: [] as string[] };
    tracker.addListener({
      traffic: (_server, _user, bytesIn, bytesOut) => {
        heard.bytesIn += bytesIn;
        heard.bytesOut += bytesOut;
      },
      event: (_server, event) => heard.kinds.push(event.kind),
    });
    tracker.applySnapshot({ server: 'udp1194', ts: 2_000, sessions: [session('1', 'alice', 100, 100)] });
    tracker.applySnapshot({
      server: 'udp1194',
      ts: 2_010,
      sessions: [session('1', 'alice', 150, 130), session('2', 'bob', 9, 9, 2_005)],
    });
    tracker.applyCounters('udp1194', 2_012, [{ clientId: 2, bytesIn: 20, bytesOut: 10 }]);
    tracker.finishSession('udp1194', {
      session: session('3', 'old', 500, 400, 1_000),
      endedAt: 1_500,
      endReason: 'Exit',
    });
    tracker.applySnapshot({ server: 'udp1194', ts: 2_020, sessions: [session('2', 'bob', 20, 10, 2_005)] });
    tracker.recordEvent('udp1194', { ts: 2_021, kind: 'auth_failure', realAddress: '198.18.0.9:5000' });
    expect({ bytesIn: heard.bytesIn, bytesOut: heard.bytesOut }).toEqual(trafficSum());
    expect(heard.kinds.sort()).toEqual(['auth_failure', 'connect', 'connect', 'connect', 'disconnect', 'disconnect']);
  });
});
