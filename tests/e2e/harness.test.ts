import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';

import { Lab, labNamespaces, ManagementEndpoint, OpenVpnServer, waitFor } from './harness';

// real processes on a shared 2-core CI machine: generous, never asserted on
const TEST_TIMEOUT_MS = 60_000;

/** The CLIENT_LIST rows of a status-version 2 file, as column-name → value records. */
function clientRows(server: OpenVpnServer): Array<Record<string, string>> {
  const lines = readFileSync(server.statusPath, 'utf8').split('\n');
  const header =
    lines
      .find((line) => line.startsWith('HEADER,CLIENT_LIST,'))
      ?.split(',')
      .slice(2) ?? [];
  return lines
    .filter((line) => line.startsWith('CLIENT_LIST,'))
    .map((line) => {
      const values = line.split(',').slice(1);
      return Object.fromEntries(header.map((name, column) => [name, values[column] ?? '']));
    });
}

function commonNames(server: OpenVpnServer): string[] {
  return clientRows(server)
    .map((row) => row['Common Name'])
    .sort();
}

function waitForCommonNames(server: OpenVpnServer, expected: string[]): Promise<true> {
  return waitFor(
    `status file to list exactly ${expected.join(', ')}`,
    () => readFileSync(server.statusPath, 'utf8').includes('\nEND') && commonNames(server).join() === expected.join()
  );
}

/** The first thing OpenVPN's management interface says (greeting or password prompt). */
function managementGreeting(endpoint: ManagementEndpoint): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(endpoint);
    socket.setEncoding('utf8');
    socket.once('data', (text: string) => {
      socket.destroy();
      resolve(text);
    });
    socket.once('error', reject);
  });
}

describe('the OpenVPN e2e lab', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await Lab.start();
  }, TEST_TIMEOUT_MS);

  // lab is unset when Lab.start() threw: its own error is the one to read
  afterEach(() => lab?.stop(), TEST_TIMEOUT_MS);

  it(
    'lists every connected client by common name and tunnel address in the status file',
    async () => {
      const server = await lab.startServer({ status: { version: 2 } });
      const clients = await Promise.all(['user1', 'user2', 'user3'].map((name) => lab.connect(name)));
      const addresses = await Promise.all(clients.map((client) => client.waitConnected()));

      await waitForCommonNames(server, ['user1', 'user2', 'user3']);
      const addressOf = new Map(clientRows(server).map((row) => [row['Common Name'], row['Virtual Address']]));
      clients.forEach((client, position) => {
        expect(addressOf.get(client.commonName)).toBe(addresses[position].ipv4);
        expect(addresses[position].ipv4.startsWith(`${lab.network.poolPrefix}.`)).toBe(true);
        expect(addresses[position].ipv6?.startsWith(`2001:db8:${lab.network.index}::`)).toBe(true);
      });
      expect(new Set(addresses.map((address) => address.ipv4)).size).toBe(3);
    },
    TEST_TIMEOUT_MS
  );

  it(
    'makes both byte counters of a session grow with the traffic it sends',
    async () => {
      const server = await lab.startServer({ status: { version: 2 } });
      const client = await lab.connect('user1');
      await client.waitConnected();
      await waitForCommonNames(server, ['user1']);
      const before = clientRows(server)[0];

      await client.sendTraffic(50_000);

      await waitFor('status file byte counts to include the traffic', () => {
        const now = clientRows(server)[0];
        return (
          now !== undefined &&
          Number(now['Bytes Received']) >= Number(before['Bytes Received']) + 50_000 &&
          Number(now['Bytes Sent']) >= Number(before['Bytes Sent']) + 50_000
        );
      });
    },
    TEST_TIMEOUT_MS
  );

  it(
    'drops a client that exits from the status file',
    async () => {
      const server = await lab.startServer({ status: { version: 2 } });
      const [leaving, staying] = await Promise.all([lab.connect('user1'), lab.connect('user2')]);
      await Promise.all([leaving.waitConnected(), staying.waitConnected()]);
      await waitForCommonNames(server, ['user1', 'user2']);

      await leaving.stop();

      await waitForCommonNames(server, ['user2']);
      expect(staying.isRunning).toBe(true);
    },
    TEST_TIMEOUT_MS
  );

  it(
    'rejects a client whose certificate another CA signed',
    async () => {
      const server = await lab.startServer({ status: { version: 2 } });

      const intruder = await lab.connect('mallory', { foreignCa: true });

      await expect(intruder.waitFailed()).resolves.toMatch(/TLS Error|AUTH_FAILED/);
      await expect(server.waitForLog(/VERIFY ERROR|TLS Error/)).resolves.toMatch(/198\.18\.\d+\.2:\d+/);
      expect(commonNames(server)).not.toContain('mallory');
    },
    TEST_TIMEOUT_MS
  );

  it(
    'lets two clients share a common name when the server allows duplicate-cn',
    async () => {
      const server = await lab.startServer({ duplicateCn: true });
      const twins = await Promise.all([lab.connect('shared'), lab.connect('shared')]);
      const addresses = await Promise.all(twins.map((client) => client.waitConnected()));

      expect(addresses[0].ipv4).not.toBe(addresses[1].ipv4);
      await waitForCommonNames(server, ['shared', 'shared']);
    },
    TEST_TIMEOUT_MS
  );

  it(
    'sends the app name as IV_GUI_VER peer info',
    async () => {
      const server = await lab.startServer();
      const client = await lab.connect('user1', { ivGuiVer: 'org.example.vpn.linux_1.2.3' });
      await client.waitConnected();

      await expect(server.waitForLog(/peer info: IV_GUI_VER=/)).resolves.toContain('org.example.vpn.linux_1.2.3');
    },
    TEST_TIMEOUT_MS
  );

  it(
    'restarts the server with the same config and its clients come back',
    async () => {
      const server = await lab.startServer({ status: { version: 3 } });
      const client = await lab.connect('user1');
      await client.waitConnected();
      const firstPid = server.pid;

      await server.restart();

      expect(server.pid).not.toBe(firstPid);
      expect(server.logLines().join('\n')).toContain('Initialization Sequence Completed');
      await waitFor('the client to reconnect after the restart', () =>
        server.logLines().some((line) => line.includes('[user1] Peer Connection Initiated'))
      );
    },
    TEST_TIMEOUT_MS
  );

  it(
    'serves management on a unix socket the test process can open',
    async () => {
      const server = await lab.startServer({ management: { transport: 'unix' } });

      expect(server.managementSocketPath).toBeDefined();
      await expect(managementGreeting(server.management!)).resolves.toMatch(/^>INFO:OpenVPN Management Interface/);
    },
    TEST_TIMEOUT_MS
  );

  it(
    'serves password-protected management over TCP the test process can reach',
    async () => {
      const server = await lab.startServer({ management: { transport: 'tcp', password: 'lab-secret' } });

      expect(server.management).toEqual({ transport: 'tcp', host: lab.network.managementHost, port: 7505 });
      await expect(managementGreeting(server.management!)).resolves.toBe('ENTER PASSWORD:');
    },
    TEST_TIMEOUT_MS
  );
});

describe('cleaning up the lab', () => {
  it(
    'removes its namespaces and links when stopped',
    async () => {
      const lab = await Lab.start();
      await lab.startServer();
      await (await lab.connect('user1')).waitConnected();
      const names = [lab.network.serverNamespace, lab.network.clientNamespace];
      expect(await labNamespaces()).toEqual(expect.arrayContaining(names));

      await lab.stop();

      const remaining = await labNamespaces();
      expect(remaining.filter((name) => names.includes(name))).toEqual([]);
      expect(existsSync(`/sys/class/net/vsc${lab.network.index}r`)).toBe(false);
      expect(existsSync(lab.directory)).toBe(false);
    },
    TEST_TIMEOUT_MS
  );

  it(
    'runs two labs side by side on separate addresses',
    async () => {
      const labs = await Promise.all([Lab.start(), Lab.start()]);
      try {
        const servers = await Promise.all(labs.map((lab) => lab.startServer()));
        const clients = await Promise.all(labs.map((lab) => lab.connect('user1')));
        const addresses = await Promise.all(clients.map((client) => client.waitConnected()));

        expect(labs[0].network.index).not.toBe(labs[1].network.index);
        addresses.forEach((address, position) =>
          expect(address.ipv4.startsWith(`${labs[position].network.poolPrefix}.`)).toBe(true)
        );
        await Promise.all(servers.map((server) => waitForCommonNames(server, ['user1'])));
      } finally {
        await Promise.all(labs.map((lab) => lab.stop()));
      }
    },
    TEST_TIMEOUT_MS
  );
});
