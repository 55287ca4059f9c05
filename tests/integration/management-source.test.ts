import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { ManagementConfig } from '../../backend/src/config';
import type { SourceHealth } from '../../backend/src/contract';
import type { StatusClient } from '../../backend/src/model';
import { ManagementClient } from '../../backend/src/sources/openvpn/management-client';
import { ManagementSources } from '../../backend/src/sources/openvpn/management-sources';
import { SourceHealthRegistry } from '../../backend/src/sources/source-health';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import { waitFor } from '../e2e/harness/wait';
import { formatStatus } from '../support/openvpn-status-writer';
import { ScriptedManagementServer } from '../support/scripted-management-server';
import { makeTempDir } from '../support/temp-dir';
import { freePort } from '../support/free-port';
import { SESSIONS_WITH_COUNTERS } from '../support/session-rows';

/**
 * The management source against a real OpenVPN (`--dev null` peer-to-peer pair on loopback: no
 * tun, no root) for connecting, passwords, restarts and sharing the interface; and against a
 * scripted interface for what only a server with clients shows (client ids reused after a restart).
 */

const OPENVPN = process.env.OPENVPN_BIN ?? 'openvpn';
const PASSWORD = 'c0rrect-h0rse-mgmt';
const POLL_SECONDS = 0.2;

jest.setTimeout(30_000);

let dir: string;
let cleanup: () => void;
let db: Db;
let tracker: SessionTracker;
let health: SourceHealthRegistry;
let logText: string[];
const started: ManagementSources[] = [];
const running = new Set<ChildProcess>();

beforeEach(() => {
  ({ dir, cleanup } = makeTempDir('vpnscope-msrc-'));
  db = openDatabase(path.join(dir, 'vpnscope.db'));
  tracker = new SessionTracker(new SessionStore(db));
  tracker.registerServer('lab', 'openvpn', { size: 253, source: 'poolSize in vpnscope.yaml' });
  health = new SourceHealthRegistry();
  logText = [];
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((sources) => sources.stop()));
  await Promise.all([...running].map((child) => stop(child, 'SIGKILL')));
  db.close();
  cleanup();
});

function startSources(config: Partial<ManagementConfig>, pollInterval = POLL_SECONDS): ManagementSources {
  const log = pino({ level: 'debug' }, { write: (line: string) => logText.push(line) });
  const sources = new ManagementSources({ db, tracker, health, log, pollInterval });
  sources.add('lab', { mode: 'stream', ...config });
  sources.start();
  started.push(sources);
  return sources;
}

const management = (): SourceHealth => {
  const found = health.all().find((source) => source.kind === 'management');
  if (!found) {
    throw new Error('no management source registered');
  }
  return found;
};
const events = (kind: string) =>
  db.prepare('SELECT ts, user, detail FROM events WHERE kind = ? ORDER BY id').all(kind) as Array<{
    ts: number;
    user: string | null;
    detail: string | null;
  }>;
const socketPath = () => path.join(dir, 'mgmt.sock');

/** A peer-to-peer pair on loopback: the watched instance logs `Initialization Sequence Completed` once its peer answers. */
async function startPair(management: string[]): Promise<{ watched: ChildProcess; restart(): Promise<void> }> {
  const [watchedPort, peerPort] = [await freePort(), await freePort()];
  const args = (local: number, remote: number) => [
    '--dev', 'null', '--local', '127.0.0.1', '--lport', String(local), '--remote', '127.0.0.1',
    '--rport', String(remote), '--ping', '1', '--verb', '3',
  ]; // prettier-ignore
  await startOpenvpn(args(peerPort, watchedPort), /link remote/);
  const pair = {
    watched: await startOpenvpn(
      [...args(watchedPort, peerPort), '--management', ...management],
      /Initialization Sequence Completed/
    ),
    async restart() {
      await stop(pair.watched, 'SIGTERM');
      pair.watched = await startOpenvpn(
        [...args(watchedPort, peerPort), '--management', ...management],
        /Initialization Sequence Completed/
      );
    },
  };
  return pair;
}

async function startOpenvpn(args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(OPENVPN, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`openvpn exited with ${code} before it was ready:\n${output}`)));
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      if (ready.test(output)) {
        resolve();
      }
    });
  });
  return child;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }
}

function passwordFile(password: string): string {
  const file = path.join(dir, `pw-${Date.now()}`);
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return file;
}

describe('management source against OpenVPN', () => {
  it('streams from a password-protected unix socket: up, status polls, the log read once', async () => {
    const pw = passwordFile(PASSWORD);
    await startPair([socketPath(), 'unix', pw]);
    startSources({ socket: socketPath(), passwordFile: pw });
    await waitFor('three status polls', () => management().pollCount >= 3 && management().up);
    expect(management()).toMatchObject({ server: 'lab', target: socketPath(), up: true, errorCount: 0 });
    expect(events('source_up')).toEqual([expect.objectContaining({ detail: 'management' })]);
    await waitFor('the restart in the log history', () => events('server_restart').length > 0);
    expect(events('server_restart')).toHaveLength(1);
    expect(logText.join('')).not.toContain(PASSWORD);
  });

  it('goes down when OpenVPN stops and up when it is back, recording each start of the server once', async () => {
    const pair = await startPair([socketPath(), 'unix']);
    startSources({ socket: socketPath() });
    await waitFor('the first start', () => management().up && events('server_restart').length === 1);

    await stop(pair.watched, 'SIGTERM');
    await waitFor('the source to go down', () => !management().up);
    expect(events('source_down')).toEqual([
      expect.objectContaining({
        detail: expect.stringMatching(/^management: the management (connection was closed|socket does not exist)/),
      }),
    ]);

    await pair.restart();
    await waitFor('the second start', () => management().up && events('server_restart').length === 2, {
      timeoutMs: 20_000,
    });
    expect(events('source_up')).toHaveLength(2);
    expect(events('server_restart')[1].ts).toBeGreaterThanOrEqual(events('server_restart')[0].ts);
  });

  it('keeps the connection through a SIGHUP restart in place and records that restart once', async () => {
    const pair = await startPair([socketPath(), 'unix']);
    startSources({ socket: socketPath() });
    await waitFor('the first start', () => management().up && events('server_restart').length === 1);
    const polls = management().pollCount;
    pair.watched.kill('SIGHUP');
    await waitFor('the restart in the live log', () => events('server_restart').length === 2);
    await waitFor('more status polls', () => management().pollCount > polls + 2);
    expect(events('source_down')).toEqual([]);
    expect(events('server_restart')).toHaveLength(2);
  });

  it('does not replay the log when vpnscope itself restarts', async () => {
    await startPair([socketPath(), 'unix']);
    const first = startSources({ socket: socketPath() });
    await waitFor('the log history', () => events('server_restart').length === 1 && management().pollCount >= 2);
    await first.stop();
    started.splice(started.indexOf(first), 1);

    health = new SourceHealthRegistry();
    startSources({ socket: socketPath() });
    await waitFor('the new source to poll twice', () => management().pollCount >= 2);
    expect(events('server_restart')).toHaveLength(1);
  });

  it('in poll mode leaves the interface free between polls, with the password from the environment', async () => {
    const port = await freePort();
    await startPair(['127.0.0.1', String(port), passwordFile(PASSWORD)]);
    process.env.VPNSCOPE_TEST_MGMT_PW = PASSWORD;
    startSources({ host: '127.0.0.1', port, passwordEnv: 'VPNSCOPE_TEST_MGMT_PW', mode: 'poll' }, 0.5);
    await waitFor('two polls', () => management().pollCount >= 2 && management().up);

    const other = new ManagementClient({
      target: { host: '127.0.0.1', port },
      password: PASSWORD,
      greetingTimeoutMs: 5000,
    });
    const greeted = once(other, 'up');
    other.start();
    await greeted;
    const history = await other.command('log all');
    await other.close();
    const visits = history.lines.filter((line) => line.endsWith("MANAGEMENT: CMD 'status 3'")).length;
    expect(visits).toBeGreaterThanOrEqual(2);
    // every visit said quit, which is what freed the interface for the other client
    expect(history.lines.filter((line) => line.endsWith("MANAGEMENT: CMD 'quit'")).length).toBeGreaterThanOrEqual(
      visits
    );
    const polls = management().pollCount;
    await waitFor('polls to go on after the other client', () => management().pollCount > polls && management().up);
    expect(events('server_restart')).toHaveLength(1);
  });

  it('stays down on a wrong password and never shows it', async () => {
    const wrong = 'hunter2-not-it';
    await startPair([socketPath(), 'unix', passwordFile(PASSWORD)]);
    startSources({ socket: socketPath(), passwordFile: passwordFile(wrong) });
    await waitFor('a failed poll', () => management().errorCount > 0);
    expect(management()).toMatchObject({ up: false, lastError: 'bad password' });
    expect(events('source_down')).toEqual([expect.objectContaining({ detail: 'management: bad password' })]);
    expect(JSON.stringify(health.all()) + logText.join('')).not.toContain(wrong);
  });
});

describe('management source against a scripted interface', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const client = (commonName: string, clientId: number, bytes: number, connectedSince: number): StatusClient => ({
    commonName,
    realAddress: `198.18.0.2:${41000 + clientId}`,
    realIp: '198.18.0.2',
    realPort: 41000 + clientId,
    virtualIpv4: `198.19.0.${clientId + 2}`,
    bytesReceived: bytes,
    bytesSent: bytes,
    connectedSince,
    clientId,
  });
  const status = (clients: StatusClient[]) =>
    formatStatus({ format: 3, updatedAt: now(), clients, routes: [], globalStats: {} }, { format: 3 })
      .trimEnd()
      .split('\n');
  const answer = (clients: () => StatusClient[]) => (command: string) =>
    command === 'status 3'
      ? status(clients())
      : command.startsWith('log')
        ? ['SUCCESS: real-time log notification set to ON', 'END']
        : ['SUCCESS: bytecount interval changed'];

  interface SessionRow {
    id: number;
    user: string;
    ended_at: number | null;
    bytes_in: number;
  }
  const sessions = () =>
    db.prepare(`SELECT id, user, ended_at, bytes_in FROM ${SESSIONS_WITH_COUNTERS} ORDER BY id`).all() as SessionRow[];

  it('polls status before anything else on every connection', async () => {
    const server = await ScriptedManagementServer.listen({ path: socketPath(), answer: answer(() => []) });
    startSources({ socket: socketPath() });
    await waitFor('the log to be switched on', () => server.commands.includes('log on all'));
    expect(server.commands[0]).toBe('status 3');
    expect(server.commands.indexOf('bytecount 1')).toBeLessThan(server.commands.indexOf('log on all'));
    await server.close();
  });

  it('survives a restart that reuses client ids: no duplicate sessions, no negative traffic, bytes on the right session', async () => {
    const t = now();
    let clients = [client('alice', 0, 10_000, t - 600), client('bob', 1, 20_000, t - 300)];
    let server = await ScriptedManagementServer.listen({ path: socketPath(), answer: answer(() => clients) });
    startSources({ socket: socketPath() });
    await waitFor('two sessions', () => sessions().length === 2);
    clients = [client('alice', 0, 12_000, t - 600), client('bob', 1, 20_000, t - 300)];
    server.notify('>BYTECOUNT_CLI:0,12000,12000');
    await waitFor('the count between polls', () => sessions()[0].bytes_in === 12_000);

    // OpenVPN restarts: carol gets client id 0 and, before any status, a count of her own
    await server.close();
    await waitFor('the source to go down', () => !management().up);
    clients = [client('carol', 0, 700, now()), client('alice', 1, 300, now())];
    server = await ScriptedManagementServer.listen({
      path: socketPath(),
      answer: answer(() => clients),
      greeted: (greeted) => greeted.notify('>BYTECOUNT_CLI:0,650,650'),
    });
    await waitFor('the new sessions', () => sessions().length === 4 && sessions()[1].ended_at !== null, {
      timeoutMs: 20_000,
    });
    await server.close();

    const rows = sessions();
    expect(rows.map((row) => [row.user, row.ended_at === null])).toEqual([
      ['alice', false],
      ['bob', false],
      ['carol', true],
      ['alice', true],
    ]);
    expect(rows[0].bytes_in).toBe(12_000);
    const traffic = db.prepare('SELECT session_id AS id, bytes_in AS bytesIn FROM traffic').all() as Array<{
      id: number;
      bytesIn: number;
    }>;
    expect(traffic.every((row) => row.bytesIn >= 0)).toBe(true);
    expect(traffic.filter((row) => row.id === rows[0].id).reduce((sum, row) => sum + row.bytesIn, 0)).toBe(2000);
    expect(traffic.filter((row) => row.id === rows[2].id).reduce((sum, row) => sum + row.bytesIn, 0)).toBe(700);
  });
});
