import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../backend/src/config';
import { parseStatus } from '../../backend/src/parsers/openvpn-status';
import { ManagementClient } from '../../backend/src/sources/openvpn/management-client';
import { startService, type Service } from '../../backend/src/service';
import { fieldOf, framesFor } from '../support/query-frames';
import { Lab, waitFor, type OpenVpnClient, type OpenVpnServer } from './harness';
import { SESSIONS_WITH_COUNTERS } from '../support/session-rows';

// real processes on a shared 2-core CI machine: generous, never asserted on
jest.setTimeout(180_000);

const PASSWORD = 'e2e-mgmt-s3cret';
const ADMIN = 'e2e-admin-t0ken';
const POLL_SECONDS = 2;

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
  client_version: string | null;
}

const now = () => Math.floor(Date.now() / 1000);

/** Writes vpnscope.yaml for the lab's server and starts `serve` on it, as an operator would. */
async function serveLab(lab: Lab, management: string[]): Promise<Service> {
  const passwordPath = path.join(lab.directory, 'vpnscope-mgmt.pw');
  fs.writeFileSync(passwordPath, `${PASSWORD}\n`, { mode: 0o600 });
  const configPath = path.join(lab.directory, 'vpnscope.yaml');
  fs.writeFileSync(
    configPath,
    [
      'listen: { port: 0 }',
      `pollInterval: ${POLL_SECONDS}`,
      `database: ${path.join(lab.directory, 'vpnscope.db')}`,
      'api:',
      `  adminToken: ${ADMIN}`,
      'servers:',
      '  - name: lab',
      '    management:',
      ...management.map((line) => `      ${line}`),
      `      passwordFile: ${passwordPath}`,
      '',
    ].join('\n')
  );
  return startService(loadConfigFile(configPath), pino({ level: 'silent' }), 'e2e');
}

describe('vpnscope on the management interface of a real OpenVPN 2.6.14 server (stream mode, TCP, password)', () => {
  let lab: Lab;
  let server: OpenVpnServer;
  let service: Service;
  const clients: OpenVpnClient[] = [];

  const sessions = () =>
    service.db.prepare(`SELECT * FROM ${SESSIONS_WITH_COUNTERS} ORDER BY id`).all() as SessionRow[];
  const live = () => sessions().filter((row) => row.ended_at === null);
  const liveSession = (user: string) => live().find((row) => row.user === user);
  const events = (kind: string) =>
    service.db
      .prepare('SELECT ts, user, real_address AS realAddress, detail FROM events WHERE kind = ?')
      .all(kind) as Array<{
      ts: number;
      user: string | null;
      realAddress: string | null;
      detail: string | null;
    }>;
  const management = () => service.health.all().find((source) => source.kind === 'management');

  async function connect(name: string, ivGuiVer?: string): Promise<OpenVpnClient> {
    const client = await lab.connect(name, ivGuiVer === undefined ? {} : { ivGuiVer });
    clients.push(client);
    await client.waitConnected();
    return client;
  }

  beforeAll(async () => {
    lab = await Lab.start();
    server = await lab.startServer({ management: { transport: 'tcp', password: PASSWORD } });
    // alice connects before vpnscope: her app can only come from the log history
    await connect('alice', 'org.eduvpn.app.linux_4.1.0');
    const endpoint = server.management as { host: string; port: number };
    service = await serveLab(lab, [`host: ${endpoint.host}`, `port: ${endpoint.port}`]);
    await connect('bob', 'org.eduvpn.app.linux_4.1.0');
    await connect('carol', 'org.example.vpn.linux_1.0.0');
    await connect('dave');
    await waitFor('four live sessions', () => live().length === 4);
  });

  afterAll(async () => {
    await service?.stop();
    await lab?.stop();
  });

  it('records each session’s app and platform, and the apps query counts them', async () => {
    const apps = await waitFor('every session’s app', () => {
      const rows = live();
      return rows.every((row) => row.app !== null) ? rows.sort((a, b) => a.user.localeCompare(b.user)) : undefined;
    });
    expect(apps.map((row) => [row.user, row.app, row.app_version, row.platform, row.client_version])).toEqual([
      ['alice', 'org.eduvpn.app.linux', '4.1.0', 'linux', '2.6.14'],
      ['bob', 'org.eduvpn.app.linux', '4.1.0', 'linux', '2.6.14'],
      ['carol', 'org.example.vpn.linux', '1.0.0', 'linux', '2.6.14'],
      ['dave', 'unknown', null, 'linux', '2.6.14'],
    ]);
    const [table] = framesFor(
      service.db,
      { queryType: 'apps', dimension: 'app' },
      { from: now() - 600, to: now(), now: now() }
    );
    const counts = fieldOf(table, 'app').values.map((app, i) => [
      app,
      fieldOf(table, 'users').values[i],
      fieldOf(table, 'sessions').values[i],
    ]);
    expect(counts).toEqual([
      ['org.eduvpn.app.linux', 2, 2],
      ['org.example.vpn.linux', 1, 1],
      ['unknown', 1, 1],
    ]);
  });

  it('takes the exact pool size from the server’s log', () => {
    expect(
      service.db.prepare("SELECT pool_size AS size, pool_size_source AS source FROM servers WHERE name = 'lab'").get()
    ).toEqual({
      size: 253,
      source: 'reported by the server',
    });
  });

  it('counts traffic between status polls from the bytecount notifications', async () => {
    const bob = liveSession('bob') as SessionRow;
    await clients[1].sendTraffic(100_000);
    let lastSent = Date.now();
    const between = await waitFor('traffic at a time no status poll wrote', async () => {
      const rows = service.db
        .prepare(
          `SELECT ts, bytes_in AS bytesIn FROM traffic
           WHERE session_id = ? AND ts NOT IN (SELECT ts FROM capacity) AND bytes_in > 0`
        )
        .all(bob.id) as Array<{ ts: number; bytesIn: number }>;
      if (rows.length === 0 && Date.now() - lastSent > 2 * POLL_SECONDS * 1000) {
        // the counts so far landed in seconds a status poll wrote too (a loaded machine lines them
        // up): a little more traffic brings more counts, and one will fall between polls
        await clients[1].sendTraffic(10_000);
        lastSent = Date.now();
      }
      return rows.length > 0 ? rows : undefined;
    });
    expect(between[0].bytesIn).toBeGreaterThan(0);
    await waitFor(
      'bob’s counters to grow by the pings',
      () => (liveSession('bob')?.bytes_in ?? 0) >= bob.bytes_in + 100_000
    );
  });

  it('records a client from a foreign CA as one auth failure, which the events query returns', async () => {
    const mallory = await lab.connect('mallory', { foreignCa: true });
    await mallory.waitFailed();
    const [failure] = await waitFor('the folded auth failure', () => {
      const found = events('auth_failure');
      return found.length > 0 ? found : undefined;
    });
    expect(failure).toMatchObject({ user: 'mallory', realAddress: expect.stringMatching(/^198\.18\.\d+\.2:\d+$/) });
    expect(events('auth_failure')).toHaveLength(1);
    const [frame] = framesFor(
      service.db,
      { queryType: 'events', kinds: ['auth_failure'] },
      { from: now() - 600, to: now(), now: now() }
    );
    expect(fieldOf(frame, 'text').values).toEqual([
      expect.stringMatching(/^mallory from 198\.18\.\d+\.2:\d+: VERIFY ERROR/),
    ]);
  });

  it('kills a session through the API with the admin token only, and the server stops listing it', async () => {
    const carol = liveSession('carol') as SessionRow;
    const kill = (authorization?: string) =>
      service.app.inject({
        method: 'POST',
        url: `/api/v1/sessions/${carol.id}/kill`,
        headers: authorization === undefined ? {} : { authorization, 'x-vpnscope-actor': 'e2e operator' },
      });
    expect((await kill()).statusCode).toBe(401);
    expect((await kill('Bearer not-the-admin-token')).statusCode).toBe(403);
    const killed = await kill(`Bearer ${ADMIN}`);
    expect(killed.json()).toEqual({
      session: carol.id,
      server: 'lab',
      command: `client-kill ${carol.client_id}`,
      reply: 'SUCCESS: client-kill command succeeded',
    });
    await waitFor('the server’s status to drop the killed client id', () => {
      const report = parseStatus(fs.readFileSync(server.statusPath, 'utf8'));
      return report.complete && !report.value.clients.some((client) => client.clientId === carol.client_id);
    });
    await waitFor(
      'vpnscope to end the session',
      () => sessions().find((row) => row.id === carol.id)?.ended_at !== null
    );
    expect(events('session_killed')).toEqual([
      expect.objectContaining({
        user: 'carol',
        detail: expect.stringMatching(/^client-kill \d+ by e2e operator from 127\.0\.0\.1: SUCCESS/),
      }),
    ]);
  });

  it('survives a restart of the OpenVPN server: down, up, one live session per client, no negative or doubled traffic', async () => {
    const running = clients.filter((client) => client.isRunning).map((client) => client.commonName);
    await server.restart();
    await waitFor('the source to be back up', () => events('source_down').length === 1 && management()?.up === true);
    await waitFor(
      'every client to reconnect',
      () => running.every((user) => live().some((row) => row.user === user)) && live().length === running.length,
      { timeoutMs: 60_000 }
    );
    const liveUsers = live().map((row) => row.user);
    expect(new Set(liveUsers).size).toBe(liveUsers.length);
    // the sessions of before the restart ended; the reconnected ones are new sessions
    for (const user of running) {
      expect(sessions().filter((row) => row.user === user && row.ended_at !== null).length).toBeGreaterThanOrEqual(1);
    }
    expect(events('server_restart')).toHaveLength(2);
    expect(events('source_up')).toHaveLength(2);

    const negative = service.db
      .prepare('SELECT COUNT(*) AS n FROM traffic WHERE bytes_in < 0 OR bytes_out < 0')
      .get() as { n: number };
    expect(negative.n).toBe(0);
    // a session's traffic rows never add up to more than the bytes its own counters show
    const overcounted = service.db
      .prepare(
        `SELECT s.user, s.bytes_in AS counted, SUM(t.bytes_in) AS summed FROM ${SESSIONS_WITH_COUNTERS} s JOIN traffic t ON t.session_id = s.id
         GROUP BY s.id HAVING SUM(t.bytes_in) > s.bytes_in OR SUM(t.bytes_out) > s.bytes_out`
      )
      .all();
    expect(overcounted).toEqual([]);
  });
});

describe('vpnscope on the management interface in poll mode (unix socket, password)', () => {
  let lab: Lab;
  let service: Service;

  beforeAll(async () => {
    lab = await Lab.start();
  });

  afterAll(async () => {
    await service?.stop();
    await lab?.stop();
  });

  it('leaves the interface free between polls and still learns sessions, apps and the pool from the log', async () => {
    const server = await lab.startServer({ management: { transport: 'unix', password: PASSWORD } });
    const socket = server.managementSocketPath as string;
    service = await serveLab(lab, [`socket: ${socket}`, 'mode: poll']);
    const alice = await lab.connect('alice', { ivGuiVer: 'org.eduvpn.app.linux_4.1.0' });
    await alice.waitConnected();
    const session = await waitFor('alice with her app', () => {
      const row = service.db
        .prepare(`SELECT * FROM ${SESSIONS_WITH_COUNTERS} WHERE user = 'alice' AND app IS NOT NULL`)
        .get() as SessionRow | undefined;
      return row;
    });
    expect(session).toMatchObject({ app: 'org.eduvpn.app.linux', app_version: '4.1.0', platform: 'linux' });

    const other = new ManagementClient({ target: { path: socket }, password: PASSWORD, greetingTimeoutMs: 10_000 });
    try {
      const greeted = once(other, 'up');
      other.start();
      await greeted;
      const status = await other.command('status 3');
      expect(status.lines.some((line) => line.startsWith('CLIENT_LIST\talice\t'))).toBe(true);
    } finally {
      await other.close();
    }
    const polls = service.health.all()[0].pollCount;
    await waitFor('polls to go on after the other client', () => service.health.all()[0].pollCount > polls + 1);
    expect(service.health.all()[0]).toMatchObject({ kind: 'management', up: true, target: socket });
    expect(service.db.prepare("SELECT pool_size AS size FROM servers WHERE name = 'lab'").get()).toEqual({ size: 253 });
  });
});
