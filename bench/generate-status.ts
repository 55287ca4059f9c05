/**
 * Writes a realistic OpenVPN status report with N clients, for benchmarks:
 *   npx ts-node --transpile-only bench/generate-status.ts --clients 10000 --format 2 > status.log
 * The same seed always gives the same report. Other benches import generateStatusReport.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { StatusClient, StatusReport } from '../backend/src/model';
import { formatStatus, hostRoutes, type OpenVpnRelease } from '../tests/support/openvpn-status-writer';

/** The clock of the real 2.6.14 captures in shared/fixtures, so generated reports sit beside them. */
const NOW = 1795275519;
const WEEK = 7 * 86400;
/** Host addresses in 198.19.0.2-198.19.255.254, then 198.18.0.2-198.18.255.254 (RFC 2544 benchmark space). */
const POOL_HOSTS = 65533;

export const FIRST_NAMES = [
  'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj',
  'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yusuf', 'amara', 'bram', 'chen', 'dmitri',
  'elif', 'fatima', 'goran', 'hana', 'ines', 'jonas', 'kofi', 'lena', 'mateo', 'noor', 'oskar', 'priya',
]; // prettier-ignore
export const LAST_NAMES = [
  'smith', 'jansen', 'garcia', 'nguyen', 'muller', 'rossi', 'kowalski', 'okafor', 'tanaka', 'silva', 'novak',
  'haddad', 'berg', 'dubois', 'ivanova', 'kim', 'larsen', 'moreau', 'nakamura', 'oconnor', 'peeters', 'quispe',
]; // prettier-ignore
const DEVICES = ['', '', '', '-laptop', '-phone', '-desktop', '-tablet'];
const CIPHERS = ['AES-256-GCM', 'AES-256-GCM', 'AES-256-GCM', 'AES-128-GCM', 'CHACHA20-POLY1305'];

export function generateStatusReport(n: number, seed = 1): StatusReport {
  const random = mulberry32(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const firstClientId = Math.floor(random() * 5000);
  const clients: StatusClient[] = [];
  // like a directory's account names: the second alice.smith becomes alice.smith2
  const namesTaken = new Map<string, number>();
  const uniquePerson = (name: string) => {
    const taken = namesTaken.get(name) ?? 0;
    namesTaken.set(name, taken + 1);
    return taken === 0 ? name : `${name}${taken + 1}`;
  };
  let poolIndex = 0;
  for (let i = 0; i < n; i++) {
    // a few connections not yet authenticated (UNDEF, no address) and a few duplicate-cn logins
    const unauthenticated = n >= 10 && random() < 0.003;
    const duplicate = !unauthenticated && clients.length > 0 && random() < 0.005;
    const person = uniquePerson(`${pick(FIRST_NAMES)}.${pick(LAST_NAMES)}`);
    const commonName = unauthenticated ? 'UNDEF' : duplicate ? pick(clients).commonName : `${person}${pick(DEVICES)}`;
    const age = unauthenticated ? 1 + Math.floor(random() * 10) : 5 + Math.floor(WEEK * random() ** 3);
    const rate = unauthenticated ? 40 : 50 * Math.exp(random() * 7);
    const realIp = `198.18.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
    const realPort = 1024 + Math.floor(random() * 64512);
    const bytesReceived = Math.floor(age * rate * (0.2 + random()));
    const bytesSent = Math.floor(bytesReceived * (1 + random() * 4));
    const addressed = !unauthenticated;
    clients.push({
      commonName,
      username: !unauthenticated && random() < 0.3 ? person : undefined,
      realAddress: `${realIp}:${realPort}`,
      realIp,
      realPort,
      protocol: undefined,
      virtualIpv4: addressed ? poolIpv4(poolIndex) : undefined,
      virtualIpv6: addressed ? poolIpv6(poolIndex) : undefined,
      bytesReceived,
      bytesSent,
      connectedSince: NOW - age,
      clientId: firstClientId + i,
      peerId: i,
      cipher: pick(CIPHERS),
    });
    poolIndex += addressed ? 1 : 0;
  }
  return {
    format: 2,
    title: 'OpenVPN 2.6.14 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [PKCS11] [MH/PKTINFO] [AEAD] [DCO]',
    updatedAt: NOW,
    clients,
    routes: hostRoutes(clients),
    globalStats: { 'Max bcast/mcast queue length': String(Math.floor(random() * 20)), dco_enabled: '0' },
  };
}

function poolIpv4(index: number): string {
  const host = index % (2 * POOL_HOSTS);
  const second = host < POOL_HOSTS ? 19 : 18;
  const offset = 2 + (host % POOL_HOSTS);
  return `198.${second}.${offset >> 8}.${offset & 255}`;
}

/** From 2001:db8:100::1000 up, as `server-ipv6 2001:db8:100::/64` hands them out. */
function poolIpv6(index: number): string {
  const host = 0x1000 + index;
  const high = Math.floor(host / 0x10000);
  const low = (host % 0x10000).toString(16);
  return high === 0 ? `2001:db8:100::${low}` : `2001:db8:100::${high.toString(16)}:${low}`;
}

/** A small seeded generator, so a benchmark input is the same on every machine. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function integerOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return number;
  };
}

if (require.main === module) {
  const options = new Command()
    .description('Print a generated OpenVPN status report to stdout.')
    .requiredOption('--clients <n>', 'number of client rows', integerOption(0, 2 * POOL_HOSTS))
    .option('--format <version>', 'status-version: 1, 2 or 3', integerOption(1, 3), 2)
    .addOption(
      new Option('--release <release>', 'OpenVPN release whose columns and styles to print')
        .choices(['2.3', '2.4', '2.5', '2.6', '2.7'])
        .default('2.6')
    )
    .option('--seed <n>', 'random seed', integerOption(0, 2 ** 32 - 1), 1)
    .parse()
    .opts<{ clients: number; format: 1 | 2 | 3; release: OpenVpnRelease; seed: number }>();
  const report = generateStatusReport(options.clients, options.seed);
  process.stdout.write(formatStatus(report, { format: options.format, release: options.release }));
}
