import { parseOpenVpnConfig } from '../../backend/src/parsers/openvpn-config';
import { poolCapacity } from '../../backend/src/parsers/openvpn-pool';
import { Lab, LabNetwork, OpenVpnServer, ServerOptions } from './harness';

// real processes on a shared 2-core CI machine: generous, never asserted on
const TEST_TIMEOUT_MS = 60_000;
const OPENVPN_VERSION = '2.6.14';

/** The pool size the running server itself reports: the most exact source there is. */
async function loggedPoolSize(server: OpenVpnServer): Promise<number> {
  const line = await server.waitForLog(/IFCONFIG POOL IPv4: base=\S+ size=\d+/);
  return Number(/size=(\d+)/.exec(line)?.[1]);
}

function computedCapacity(server: OpenVpnServer): number | undefined {
  const parsed = parseOpenVpnConfig(server.configText);
  expect(parsed.issues).toEqual([]);
  return poolCapacity(parsed.value, OPENVPN_VERSION)?.size;
}

/** A pool set by hand instead of `server`: 50 addresses, .100 to .149. */
function explicitPool(network: LabNetwork): string[] {
  const prefix = network.poolPrefix;
  return [
    `ifconfig ${network.serverVpnAddress} 255.255.255.0`,
    `ifconfig-pool ${prefix}.100 ${prefix}.149`,
    'push "topology subnet"',
    `push "route-gateway ${network.serverVpnAddress}"`,
  ];
}

const SERVER_CONFIGS: Array<{ title: string; options: (network: LabNetwork) => ServerOptions }> = [
  { title: 'a server /24 with topology subnet', options: () => ({ topology: 'subnet' }) },
  { title: 'a server /24 with topology net30', options: () => ({ topology: 'net30' }) },
  { title: 'a server /24 with topology p2p', options: () => ({ topology: 'p2p' }) },
  {
    title: 'a server /26 with topology subnet',
    options: (network) => ({ topology: 'subnet', pool: [`server ${network.poolPrefix}.0 255.255.255.192`] }),
  },
  {
    title: 'a server /28 with topology net30',
    options: (network) => ({ topology: 'net30', pool: [`server ${network.poolPrefix}.0 255.255.255.240`] }),
  },
  {
    title: 'an explicit ifconfig-pool below max-clients',
    options: (network) => ({ pool: explicitPool(network), extraConfig: ['max-clients 100'] }),
  },
];

describe('pool capacity against a real OpenVPN 2.6.14', () => {
  let lab: Lab;

  beforeEach(async () => {
    lab = await Lab.start();
  }, TEST_TIMEOUT_MS);

  // lab is unset when Lab.start() threw: its own error is the one to read
  afterEach(() => lab?.stop(), TEST_TIMEOUT_MS);

  it.each(SERVER_CONFIGS)(
    'computes the size the server logs for $title',
    async ({ options }) => {
      const server = await lab.startServer(options(lab.network));

      expect(computedCapacity(server)).toBe(await loggedPoolSize(server));
    },
    TEST_TIMEOUT_MS
  );

  it(
    'caps the capacity at a max-clients below the pool size, as the server enforces it',
    async () => {
      const server = await lab.startServer({ pool: explicitPool(lab.network), extraConfig: ['max-clients 2'] });
      expect(await loggedPoolSize(server)).toBe(50);
      expect(computedCapacity(server)).toBe(2);

      const admitted = await Promise.all([lab.connect('user1'), lab.connect('user2')]);
      await Promise.all(admitted.map((client) => client.waitConnected()));
      await lab.connect('user3');

      await server.waitForLog(/would exceed maximum number of clients \(2\)/);
    },
    TEST_TIMEOUT_MS
  );
});
