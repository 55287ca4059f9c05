import { once } from 'node:events';
import { classifyLogMessage } from '../../backend/src/parsers/management-log';
import type { ManagementNotification } from '../../backend/src/parsers/management-protocol';
import { clientInfoFromPeerInfo } from '../../backend/src/parsers/peer-info';
import { SecurityEventFolder, type SecurityEvent } from '../../backend/src/parsers/security-event-folder';
import { ManagementClient } from '../../backend/src/sources/openvpn/management-client';
import { Lab, type OpenVpnServer } from './harness';

// real processes on a shared 2-core CI machine: generous, never asserted on
const TEST_TIMEOUT_MS = 60_000;
const PASSWORD = 'e2e-mgmt-pw';

/** Resolves with the first notification, from now on, that `accept` picks. */
function nextNotification<T extends ManagementNotification>(
  client: ManagementClient,
  accept: (message: ManagementNotification) => message is T
): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: ManagementNotification) => {
      if (accept(message)) {
        client.off('notification', listener);
        resolve(message);
      }
    };
    client.on('notification', listener);
  });
}

describe('ManagementClient against a real OpenVPN 2.6.14 server', () => {
  let lab: Lab;
  let management: ManagementClient | undefined;

  beforeEach(async () => {
    lab = await Lab.start();
  }, TEST_TIMEOUT_MS);

  afterEach(async () => {
    await management?.close();
    management = undefined;
    // lab is unset when Lab.start() threw: its own error is the one to read
    await lab?.stop();
  }, TEST_TIMEOUT_MS);

  async function connectTo(server: OpenVpnServer, password?: string): Promise<ManagementClient> {
    if (!server.management) {
      throw new Error('the server was started without a management interface');
    }
    management = new ManagementClient({ target: server.management, password });
    const up = once(management, 'up');
    management.start();
    await up;
    return management;
  }

  it(
    'sees a client arrive with its app and platform, counts its bytes, and lists it in status 3',
    async () => {
      const server = await lab.startServer({ management: { transport: 'tcp', password: PASSWORD } });
      const client = await connectTo(server, PASSWORD);
      expect((await client.command('bytecount 1')).text).toBe('bytecount interval changed');

      const established = nextNotification(client, (m) => m.type === 'client-established');
      const alice = await lab.connect('alice', { ivGuiVer: 'org.example.vpn.linux_1.4.2' });
      await alice.waitConnected();
      const { clientId, env } = await established;
      expect(env.common_name).toBe('alice');
      expect(clientInfoFromPeerInfo(env)).toMatchObject({
        app: 'org.example.vpn.linux',
        appVersion: '1.4.2',
        platform: 'linux',
        clientVersion: '2.6.14',
      });

      await alice.sendTraffic(50_000);
      const counted = await nextNotification(
        client,
        (m): m is Extract<ManagementNotification, { type: 'bytecount-client' }> =>
          m.type === 'bytecount-client' && m.clientId === clientId && m.bytesIn > 50_000
      );
      expect(counted.bytesOut).toBeGreaterThan(50_000);

      const status = await client.command('status 3');
      const row = status.lines.find((line) => line.startsWith('CLIENT_LIST\talice\t'));
      expect(row?.split('\t')).toContain(String(clientId));
    },
    TEST_TIMEOUT_MS
  );

  it(
    'folds the log lines of a rejected certificate into one auth failure of that client',
    async () => {
      const server = await lab.startServer({ management: { transport: 'unix' } });
      const client = await connectTo(server);
      const folder = new SecurityEventFolder();
      const events: SecurityEvent[] = [];
      client.on('notification', (message) => {
        const fact = message.type === 'log' ? classifyLogMessage(message.message) : null;
        if (message.type === 'log' && fact?.kind === 'security') {
          events.push(...folder.add(message.time, fact.signal));
        }
      });
      expect((await client.command('log on all')).ok).toBe(true);

      const handshakeFailed = nextNotification(
        client,
        (m): m is Extract<ManagementNotification, { type: 'log' }> =>
          m.type === 'log' && m.message.endsWith('TLS Error: TLS handshake failed')
      );
      const mallory = await lab.connect('mallory', { foreignCa: true });
      await mallory.waitFailed();
      await handshakeFailed;
      events.push(...folder.flushAll());

      expect(events).toEqual([
        {
          ts: expect.any(Number),
          kind: 'auth_failure',
          realAddress: expect.stringMatching(new RegExp(`^${lab.network.clientAddress.replace(/\./g, '\\.')}:\\d+$`)),
          user: 'mallory',
          detail: expect.stringMatching(/^VERIFY ERROR: depth=0, error=.*CN=mallory/),
          lines: expect.any(Number),
        },
      ]);
      expect(events[0].lines).toBeGreaterThan(1);
    },
    TEST_TIMEOUT_MS
  );
});
