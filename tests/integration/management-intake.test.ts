import fs from 'node:fs';
import path from 'node:path';
import type { StatusClient } from '../../backend/src/model';
import { ManagementFramer, type ManagementMessage } from '../../backend/src/parsers/management-protocol';
import { ManagementIntake } from '../../backend/src/sources/openvpn/management-intake';
import { LogCursor } from '../../backend/src/sources/openvpn/management-log-cursor';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import { formatStatus } from '../support/openvpn-status-writer';
import { fixturesDir } from '../support/run-cli';
import { makeTempDir } from '../support/temp-dir';
import { SESSIONS_WITH_COUNTERS } from '../support/session-rows';

const T0 = 1_795_275_500;

interface SessionRow {
  id: number;
  user: string;
  client_id: number;
  ended_at: number | null;
  bytes_in: number;
  bytes_out: number;
  app: string | null;
  app_version: string | null;
  platform: string | null;
}

function client(commonName: string, clientId: number, bytes: number, connectedSince = T0 - 100): StatusClient {
  return {
    commonName,
    realAddress: `198.18.0.2:${40000 + clientId}`,
    realIp: '198.18.0.2',
    realPort: 40000 + clientId,
    virtualIpv4: `198.19.0.${clientId + 2}`,
    bytesReceived: bytes,
    bytesSent: bytes * 2,
    connectedSince,
    clientId,
    peerId: clientId,
    cipher: 'AES-256-GCM',
  };
}

/** The lines of a `status 3` reply listing these clients, END excluded (the framer strips it). */
function statusReply(ts: number, clients: StatusClient[]): string[] {
  const text = formatStatus({ format: 3, updatedAt: ts, clients, routes: [], globalStats: {} }, { format: 3 });
  return text.trimEnd().split('\n').slice(0, -1);
}

const bytecount = (clientId: number, bytesIn: number) =>
  ({ type: 'bytecount-client', clientId, bytesIn, bytesOut: bytesIn * 2 }) as const;
const logLine = (time: number, message: string) => ({ type: 'log', time, flags: '', message }) as const;

/** The real `log on all` capture of a 2.6.14 server: its history reply and the live lines after it. */
type LogMessage = Extract<ManagementMessage, { type: 'log' }>;

function capturedLog(): { history: string[]; live: LogMessage[] } {
  const framer = new ManagementFramer();
  framer.expectReply(['line', 'block']);
  const messages = framer.push(fs.readFileSync(path.join(fixturesDir, 'mgmt-log-on-all.txt'), 'utf8'));
  const reply = messages.find((message) => message.type === 'reply');
  if (reply?.type !== 'reply') {
    throw new Error('the capture has no log reply');
  }
  return { history: reply.lines, live: messages.filter((message): message is LogMessage => message.type === 'log') };
}

describe('ManagementIntake', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Db;
  let tracker: SessionTracker;
  let intake: ManagementIntake;
  let restarts: number;

  const sessions = () => db.prepare(`SELECT * FROM ${SESSIONS_WITH_COUNTERS} ORDER BY id`).all() as SessionRow[];
  const live = () => sessions().filter((row) => row.ended_at === null);
  const traffic = () =>
    db
      .prepare('SELECT ts, session_id AS sessionId, bytes_in AS bytesIn FROM traffic ORDER BY ts, session_id')
      .all() as Array<{
      ts: number;
      sessionId: number;
      bytesIn: number;
    }>;
  const events = (kind: string) =>
    db.prepare('SELECT ts, user, real_address AS realAddress, detail FROM events WHERE kind = ? ORDER BY id').all(kind);

  beforeEach(() => {
    temp = makeTempDir('vpnscope-intake-');
    db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
    tracker = new SessionTracker(new SessionStore(db));
    tracker.registerServer('lab', 'openvpn', { size: 200, source: 'poolSize in vpnscope.yaml' });
    restarts = 0;
    intake = new ManagementIntake({
      server: 'lab',
      tracker,
      cursor: new LogCursor(),
      onServerRestart: () => restarts++,
    });
    intake.connectionStarted();
  });

  afterEach(() => {
    db.close();
    temp.cleanup();
  });

  it('opens the sessions of the real status 3 capture with their client ids', () => {
    const capture = fs.readFileSync(path.join(fixturesDir, 'mgmt-status-kill.txt'), 'utf8').split('\r\n');
    const lines = capture.slice(
      capture.indexOf(
        'TITLE,OpenVPN 2.6.14 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [PKCS11] [MH/PKTINFO] [AEAD] [DCO]'
      )
    );
    const { summary, issues } = intake.status(lines.slice(0, lines.indexOf('END')), T0);
    expect(issues).toEqual([]);
    expect(summary).toMatchObject({ opened: 3, active: 3 });
    expect(live().map((row) => [row.user, row.client_id])).toEqual([
      ['user1', 0],
      ['user2', 1],
      ['user3', 2],
    ]);
  });

  it('writes byte counts between status polls as traffic of their own time', () => {
    intake.status(statusReply(T0, [client('alice', 0, 1000), client('bob', 1, 5000)]), T0);
    intake.notification(bytecount(0, 1400), T0 + 5);
    intake.notification(bytecount(1, 5000), T0 + 5);
    expect(intake.hasPendingCounters).toBe(true);
    intake.flushCounters(T0 + 5);
    expect(intake.hasPendingCounters).toBe(false);
    const [alice] = live();
    expect(traffic()).toEqual([{ ts: T0 + 5, sessionId: alice.id, bytesIn: 400 }]);
    expect(alice.bytes_in).toBe(1400);
  });

  it('writes counts that came before a status reply ahead of it, so they are not mistaken for a reset', () => {
    intake.status(statusReply(T0, [client('alice', 0, 1000)]), T0);
    intake.notification(bytecount(0, 1500), T0 + 4);
    intake.status(statusReply(T0 + 10, [client('alice', 0, 1800)]), T0 + 10);
    intake.flushCounters(T0 + 11);
    const total = traffic().reduce((sum, row) => sum + row.bytesIn, 0);
    expect(total).toBe(800);
  });

  it('takes a status row that lags a byte count already applied as behind, not as a counter reset', () => {
    intake.status(statusReply(T0, [client('alice', 0, 1000)]), T0);
    intake.notification(bytecount(0, 1500), T0 + 4);
    intake.flushCounters(T0 + 4);
    intake.status(statusReply(T0 + 10, [client('alice', 0, 1460)]), T0 + 10);
    intake.status(statusReply(T0 + 20, [client('alice', 0, 1800)]), T0 + 20);
    expect(traffic().map((row) => row.bytesIn)).toEqual([500, 300]);
    expect(live()[0].bytes_in).toBe(1800);
  });

  it('ignores counts and holds client facts until the first status reply of a connection', () => {
    // vpnscope knew alice as client 0; the server restarted, and client 0 is now carol
    intake.status(statusReply(T0, [client('alice', 0, 90_000)]), T0);
    intake.connectionStarted();
    intake.notification(bytecount(0, 300), T0 + 20);
    intake.notification(
      { type: 'client-established', clientId: 0, env: { IV_GUI_VER: 'org.example.vpn.linux_2.0', IV_PLAT: 'linux' } },
      T0 + 20
    );
    intake.flushCounters(T0 + 20);
    expect(traffic()).toEqual([]);
    expect(live()[0]).toMatchObject({ user: 'alice', bytes_in: 90_000, app: null });

    intake.status(statusReply(T0 + 30, [client('carol', 0, 500, T0 + 18)]), T0 + 30);
    const [alice, carol] = sessions();
    expect(alice).toMatchObject({ user: 'alice', ended_at: T0 + 30, app: null });
    expect(carol).toMatchObject({ user: 'carol', ended_at: null, app: 'org.example.vpn.linux', platform: 'linux' });
    expect(traffic()).toEqual([{ ts: T0 + 30, sessionId: carol.id, bytesIn: 500 }]);
  });

  it('stops trusting client ids when the live log says the server re-initialised, and records the restart', () => {
    intake.status(statusReply(T0, [client('alice', 0, 1000)]), T0);
    intake.notification(bytecount(0, 1200), T0 + 1);
    intake.notification(logLine(T0 + 2, 'Initialization Sequence Completed'), T0 + 2);
    intake.notification(bytecount(0, 50), T0 + 3);
    intake.flushCounters(T0 + 3);
    expect(restarts).toBe(1);
    expect(events('server_restart')).toEqual([
      { ts: T0 + 2, user: null, realAddress: null, detail: 'Initialization Sequence Completed' },
    ]);
    expect(traffic()).toEqual([{ ts: T0 + 2, sessionId: live()[0].id, bytesIn: 200 }]);
  });

  it('reads the real log history once: restart, pool size and peer info, none of it again on a replay', () => {
    const { history, live: liveLines } = capturedLog();
    expect(intake.history(history, T0)).toEqual([]);
    expect(intake.history(history, T0 + 10)).toEqual([]);
    expect(events('server_restart')).toEqual([expect.objectContaining({ ts: 1795275408 })]);

    // user6's peer info came in the live lines; its session is listed by the next status reply
    liveLines.forEach((message) => intake.notification(message, T0 + 11));
    const user6 = { ...client('user6', 3, 100), realAddress: '198.18.0.2:43983', realPort: 43983 };
    intake.status(statusReply(T0 + 20, [client('user1', 0, 100), user6]), T0 + 20);
    const rows = live();
    expect(rows.find((row) => row.user === 'user6')).toMatchObject({
      app: 'org.example.vpn.linux',
      app_version: '1.0.0',
      platform: 'linux',
    });
    // user1's peer info in the history named address :38842, which no listed session has
    expect(rows.find((row) => row.user === 'user1')?.app).toBeNull();
    expect(
      db.prepare("SELECT pool_size AS size, pool_size_source AS source FROM servers WHERE name = 'lab'").get()
    ).toEqual({
      size: 253,
      source: 'reported by the server',
    });
  });

  it('keeps live lines that arrive during the history reply for after it', () => {
    intake.awaitHistory();
    intake.notification(logLine(T0 + 5, 'Initialization Sequence Completed'), T0 + 5);
    expect(events('server_restart')).toEqual([]);
    intake.history([`${T0},I,Initialization Sequence Completed`], T0 + 5);
    expect(events('server_restart').map((event) => (event as { ts: number }).ts)).toEqual([T0, T0 + 5]);
  });

  it('records one auth failure per rejected client once its lines have gone quiet', () => {
    const rejected = [
      '198.18.0.9:51000 VERIFY ERROR: depth=0, error=unable to get local issuer certificate: CN=mallory, serial=1',
      '198.18.0.9:51000 OpenSSL: error:0A000086:SSL routines::certificate verify failed:',
      '198.18.0.9:51000 TLS_ERROR: BIO read tls_read_plaintext error',
      '198.18.0.9:51000 TLS Error: TLS handshake failed',
    ];
    intake.history(
      rejected.map((message) => `${T0},,${message}`),
      T0
    );
    intake.tick(T0 + 2);
    expect(events('auth_failure')).toEqual([]);
    intake.tick(T0 + 10);
    expect(events('auth_failure')).toEqual([
      {
        ts: T0,
        user: 'mallory',
        realAddress: '198.18.0.9:51000',
        detail: rejected[0].slice('198.18.0.9:51000 '.length),
      },
    ]);
    intake.history(
      rejected.map((message) => `${T0},,${message}`),
      T0 + 20
    );
    intake.finish(T0 + 30);
    expect(events('auth_failure')).toHaveLength(1);
  });

  it('carries a pool size learned on an earlier run until the log tells another', () => {
    intake = new ManagementIntake({ server: 'lab', tracker, cursor: new LogCursor(), poolSize: 61 });
    intake.status(statusReply(T0, []), T0);
    expect(tracker.serverStates()[0].pool).toEqual({ size: 61, source: 'reported by the server' });
  });
});
