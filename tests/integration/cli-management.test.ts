import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../backend/src/config';
import { startService, type Service } from '../../backend/src/service';
import { openDatabase } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import { waitFor } from '../e2e/harness/wait';
import { formatStatus } from '../support/openvpn-status-writer';
import { fixturesDir, runCli } from '../support/run-cli';
import { ScriptedManagementServer } from '../support/scripted-management-server';
import { makeTempDir } from '../support/temp-dir';
import { freePort } from '../support/free-port';

jest.setTimeout(60_000);

const ADMIN = 'cli-admin-t0ken';
const T0 = Math.floor(Date.now() / 1000);

const aliceStatus = () =>
  formatStatus(
    {
      format: 3,
      updatedAt: T0,
      routes: [],
      globalStats: {},
      clients: [
        {
          commonName: 'alice',
          realAddress: '198.18.0.2:40000',
          realIp: '198.18.0.2',
          realPort: 40000,
          bytesReceived: 1,
          bytesSent: 1,
          connectedSince: T0 - 60,
          clientId: 4,
        },
      ],
    },
    { format: 3 }
  )
    .trimEnd()
    .split('\n');

describe('vpnscope kill', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let server: ScriptedManagementServer;
  let service: Service;
  let config: string;

  beforeAll(async () => {
    temp = makeTempDir('vpnscope-cli-kill-');
    const socket = path.join(temp.dir, 'mgmt.sock');
    server = await ScriptedManagementServer.listen({
      path: socket,
      answer: (command) =>
        command === 'status 3'
          ? aliceStatus()
          : command === 'client-kill 4'
            ? ['SUCCESS: client-kill command succeeded']
            : ['END'],
    });
    config = path.join(temp.dir, 'vpnscope.yaml');
    fs.writeFileSync(
      config,
      [
        `listen: { port: ${await freePort()} }`,
        'pollInterval: 3600',
        'database: vpnscope.db',
        'api:',
        '  adminTokenEnv: VPNSCOPE_TEST_ADMIN',
        'servers:',
        '  - name: lab',
        '    management:',
        `      socket: ${socket}`,
        '      mode: poll',
        '',
      ].join('\n')
    );
    process.env.VPNSCOPE_TEST_ADMIN = ADMIN;
    service = await startService(loadConfigFile(config), pino({ level: 'silent' }), 'test');
    await waitFor('alice to be polled', () => service.db.prepare("SELECT id FROM sessions WHERE user = 'alice'").get());
  });

  afterAll(async () => {
    await service?.stop();
    await server?.close();
    temp.cleanup();
  });

  it('asks the running service to kill the session and prints OpenVPN’s reply', async () => {
    const { id } = service.db.prepare("SELECT id FROM sessions WHERE user = 'alice'").get() as { id: number };
    const result = await runCli(['--config', config, 'kill', String(id)]);
    expect(result).toEqual({
      code: 0,
      stdout: `session ${id} on lab: SUCCESS: client-kill command succeeded\n`,
      stderr: '',
    });
    expect(server.commands).toContain('client-kill 4');
    const event = service.db.prepare("SELECT detail FROM events WHERE kind = 'session_killed'").get() as {
      detail: string;
    };
    expect(event.detail).toMatch(/^client-kill 4 by \S+ \(vpnscope kill\) from 127\.0\.0\.1: SUCCESS/);
  });

  it('says why and exits 1 when the session is unknown or no admin token is configured', async () => {
    const unknown = await runCli(['--config', config, 'kill', '999']);
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'vpnscope: session 999 does not exist or has ended\n' });
    const tokenless = path.join(temp.dir, 'tokenless.yaml');
    fs.writeFileSync(tokenless, fs.readFileSync(config, 'utf8').replace(/api:\n.*\n/, ''));
    const refused = await runCli(['--config', tokenless, 'kill', '1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'vpnscope: no admin token in the configuration (api.adminToken, adminTokenFile or adminTokenEnv)\n'
    );
  });
});

describe('vpnscope status with a database the service filled', () => {
  it('prints the pool size the server reported instead of the configured one', async () => {
    const temp = makeTempDir('vpnscope-cli-pool-');
    try {
      fs.copyFileSync(path.join(fixturesDir, 'status-v2.log'), path.join(temp.dir, 'status.log'));
      const db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
      const tracker = new SessionTracker(new SessionStore(db));
      tracker.registerServer('lab', 'openvpn', { size: 4, source: 'poolSize in vpnscope.yaml' });
      tracker.registerServer('other', 'openvpn', { size: 4, source: 'poolSize in vpnscope.yaml' });
      tracker.applySnapshot({ server: 'lab', ts: T0, sessions: [], poolSize: 6 });
      db.close();
      const config = path.join(temp.dir, 'vpnscope.yaml');
      const servers = ['lab', 'other'].map((name) => `  - { name: ${name}, statusFile: status.log, poolSize: 4 }`);
      fs.writeFileSync(config, ['database: vpnscope.db', 'servers:', ...servers, ''].join('\n'));
      const result = await runCli(['--config', config, 'status']);
      expect(result.stdout).toBe(
        'profile_id,active_connection_count,max_connection_count,percentage_in_use\nlab,3,6,50\nother,3,4,75\n'
      );
    } finally {
      temp.cleanup();
    }
  });
});
