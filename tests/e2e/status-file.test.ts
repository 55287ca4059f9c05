import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../backend/src/config';
import { startService, type Service } from '../../backend/src/service';
import type { QueryResponse, ServerInfo } from '../../backend/src/contract';
import { runCli } from '../support/run-cli';
import { SESSIONS_WITH_COUNTERS } from '../support/session-rows';
import {
  Lab,
  waitFor,
  type OpenVpnClient,
  type OpenVpnServer,
  type StatusVersion,
  type TunnelAddresses,
} from './harness';

// real processes on a shared 2-core CI machine: generous, never asserted on
jest.setTimeout(120_000);

const POLL_SECONDS = 1;

interface SessionRow {
  user: string;
  real_address: string;
  virtual_ipv4: string | null;
  virtual_ipv6: string | null;
  ended_at: number | null;
  bytes_in: number;
  bytes_out: number;
}

describe.each([1, 2, 3] as StatusVersion[])(
  'vpnscope against a real OpenVPN server writing status-version %i',
  (version) => {
    let lab: Lab;
    let server: OpenVpnServer;
    let clients: OpenVpnClient[];
    let addresses: Map<string, TunnelAddresses>;
    let service: Service;
    let configPath: string;

    const sessions = () =>
      service.db.prepare(`SELECT * FROM ${SESSIONS_WITH_COUNTERS} ORDER BY user`).all() as SessionRow[];
    const session = (user: string) => sessions().find((row) => row.user === user && row.ended_at === null);
    const pollCount = () => service.health.all()[0].pollCount;

    beforeAll(async () => {
      lab = await Lab.start();
      server = await lab.startServer({ status: { version, intervalSeconds: 1 } });
      clients = await Promise.all(['user1', 'user2', 'user3'].map((name) => lab.connect(name)));
      addresses = new Map(
        await Promise.all(clients.map(async (client) => [client.commonName, await client.waitConnected()] as const))
      );
      configPath = path.join(lab.directory, 'vpnscope.yaml');
      fs.writeFileSync(
        configPath,
        [
          'listen: { port: 0 }',
          `pollInterval: ${POLL_SECONDS}`,
          `database: ${path.join(lab.directory, 'vpnscope.db')}`,
          'servers:',
          '  - name: lab',
          `    statusFile: ${server.statusPath}`,
          `    openvpnConfig: ${server.configPath}`,
          '',
        ].join('\n')
      );
      // the service and the CLI read the same vpnscope.yaml, as on a real server
      service = await startService(loadConfigFile(configPath), pino({ level: 'silent' }), 'e2e');
      await waitFor('three live sessions', () => sessions().filter((row) => row.ended_at === null).length === 3);
    });

    afterAll(async () => {
      await service?.stop();
      await lab?.stop();
    });

    it('sees every client with its name, real address and virtual addresses', () => {
      const live = sessions().filter((row) => row.ended_at === null);
      expect(live.map((row) => row.user)).toEqual(['user1', 'user2', 'user3']);
      for (const row of live) {
        const tunnel = addresses.get(row.user) as TunnelAddresses;
        expect(row.real_address).toMatch(new RegExp(`^${lab.network.clientAddress.replace(/\./g, '\\.')}:\\d+$`));
        expect(row.virtual_ipv4).toBe(tunnel.ipv4);
        expect(row.virtual_ipv6).toBe(tunnel.ipv6 ?? null);
      }
    });

    it('records growing bytes as traffic deltas when a client sends', async () => {
      const before = session('user1') as SessionRow;
      await clients[0].sendTraffic(60_000);
      const after = await waitFor('user1 bytes to grow by the pings', () => {
        const row = session('user1');
        return row && row.bytes_in >= before.bytes_in + 60_000 ? row : undefined;
      });
      const deltas = service.db
        .prepare(
          "SELECT COALESCE(SUM(t.bytes_in), 0) AS bytesIn FROM traffic t JOIN sessions s ON s.id = t.session_id WHERE s.user = 'user1'"
        )
        .get() as { bytesIn: number };
      expect(after.bytes_in - before.bytes_in).toBeGreaterThanOrEqual(60_000);
      expect(deltas.bytesIn).toBeGreaterThanOrEqual(after.bytes_in - before.bytes_in);
    });

    it('answers the query API with the live sessions', async () => {
      const response = await fetch(`${service.url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          range: { from: Date.now() - 3_600_000, to: Date.now() },
          queries: [{ refId: 'A', queryType: 'sessions', state: 'live' }],
        }),
      });
      const frame = ((await response.json()) as QueryResponse).results.A.frames[0];
      const userField = frame.schema.fields.findIndex((field) => field.name.toLowerCase() === 'user');
      expect(userField).toBeGreaterThanOrEqual(0);
      expect([...(frame.data.values[userField] as string[])].sort()).toEqual(['user1', 'user2', 'user3']);
      const servers = (await (await fetch(`${service.url}/api/v1/servers`)).json()) as ServerInfo[];
      expect(servers).toEqual([expect.objectContaining({ name: 'lab', liveSessions: 3, poolSize: 253 })]);
    });

    it('reports the active count and the pool size in vpnscope status --json', async () => {
      const result = await runCli(['--config', configPath, 'status', '--json']);
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual([
        { profile_id: 'lab', active_connection_count: 3, max_connection_count: 253, percentage_in_use: 1 },
      ]);
    });

    it("ends a stopped client's session within two polls of the status file dropping it", async () => {
      await clients[2].stop();
      await waitFor(
        'the status file to drop user3',
        () => !fs.readFileSync(server.statusPath, 'utf8').includes('user3'),
        { timeoutMs: 60_000 }
      );
      const pollsWhenDropped = pollCount();
      await waitFor('user3 to be ended', () => sessions().some((row) => row.user === 'user3' && row.ended_at !== null));
      expect(pollCount() - pollsWhenDropped).toBeLessThanOrEqual(2);
      expect(
        sessions()
          .filter((row) => row.ended_at === null)
          .map((row) => row.user)
      ).toEqual(['user1', 'user2']);
    });
  }
);
