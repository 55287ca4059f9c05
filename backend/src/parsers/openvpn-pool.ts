import { formatIpv4, netmaskBits, parseIpv4 } from './ipv4';
import type { OpenVpnServerConfig } from './openvpn-config';

/** How many clients a server's IPv4 pool holds, and one sentence saying how that was worked out. */
export interface PoolCapacity {
  size: number;
  rule: string;
}

/** ifconfig_pool_verify_range refuses a range of this many addresses or more (pool.h). */
const IFCONFIG_POOL_MAX = 65536;
/** `--server` refuses networks larger than a /16 (IFCONFIG_POOL_MIN_NETBITS). */
const MIN_NETBITS = 16;
/** OpenVPN's `max-clients` default, the same in every release since 2.3. */
const DEFAULT_MAX_CLIENTS = 1024;

interface Release {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

/**
 * The IPv4 pool capacity OpenVPN itself would compute (helper.c helper_client_server, pool.c
 * ifconfig_pool_init), capped by `max-clients`. Null when the config has no pool, or when OpenVPN
 * would refuse to start with it. Release differences:
 * - topology defaults to net30 before 2.7.0 and to subnet from 2.7.0 (for servers);
 * - `server` with topology subnet ends the pool at broadcast-2 before 2.5.5, broadcast-1 from 2.5.5;
 * - a pool of fewer than 2 is fatal from 2.5.0.
 */
export function poolCapacity(config: OpenVpnServerConfig, openvpnVersion?: string): PoolCapacity | null {
  const known = parseRelease(openvpnVersion);
  const release = known ?? { major: 2, minor: 6, patch: 0, text: '2.6' };
  const on = known ? `OpenVPN ${release.text}` : 'OpenVPN 2.6 (version unknown, assumed)';
  const tap = config.devType === 'tap' || (config.devType === undefined && (config.dev ?? '').startsWith('tap'));
  const topology = config.topology ?? (atLeast(release, 2, 7, 0) ? 'subnet' : 'net30');
  const topologyText = config.topology
    ? `topology ${topology}`
    : `topology ${topology} (the default ${topology === 'subnet' ? 'from' : 'before'} 2.7)`;

  const range = poolRange(config, release, tap, topology);
  if (range === null) {
    return null;
  }
  const { start, end, origin } = range;
  if (start > end || end - start >= IFCONFIG_POOL_MAX) {
    return null;
  }
  // tun with net30 gives every client its own /30 (IFCONFIG_POOL_30NET); anything else one address
  const blocks = !tap && topology === 'net30';
  // pool.c: base = start & ~3; size = (((end | 3) + 1) - base) >> 2, in unsigned 32-bit terms
  const poolSize = blocks ? (end - (end % 4) + 4 - (start - (start % 4))) / 4 : end - start + 1;
  if (poolSize < 2 && atLeast(release, 2, 5, 0)) {
    return null;
  }
  const layout = tap ? 'dev tap' : topologyText;
  const pool = `pool ${formatIpv4(start)}-${formatIpv4(end)}`;
  const counted = blocks ? `${poolSize} clients of one /30 each` : `${poolSize} addresses`;
  const maxClients = config.maxClients ?? DEFAULT_MAX_CLIENTS;
  const cap =
    maxClients >= poolSize
      ? ''
      : `, capped at ${maxClients} by ${config.maxClients === undefined ? "max-clients' default" : 'max-clients'}`;
  return {
    size: Math.min(poolSize, maxClients),
    rule: `${origin} with ${layout} on ${on}: ${pool}, ${counted}${cap}`,
  };
}

/** The first and last pool address as OpenVPN derives them, or null when it has none or would refuse. */
function poolRange(
  config: OpenVpnServerConfig,
  release: Release,
  tap: boolean,
  topology: 'net30' | 'p2p' | 'subnet'
): { start: number; end: number; origin: string } | null {
  const { server, ifconfigPool } = config;
  if (server && !server.nopool) {
    // OpenVPN refuses an explicit ifconfig-pool beside a pool-defining `server`
    return ifconfigPool ? null : serverRange(server.network, server.netmask, release, tap, topology);
  }
  if (!ifconfigPool) {
    return null;
  }
  const start = parseIpv4(ifconfigPool.start);
  const end = parseIpv4(ifconfigPool.end);
  if (start === null || end === null) {
    return null;
  }
  return { start, end, origin: `ifconfig-pool ${ifconfigPool.start} ${ifconfigPool.end}` };
}

function serverRange(
  networkText: string,
  netmaskText: string,
  release: Release,
  tap: boolean,
  topology: 'net30' | 'p2p' | 'subnet'
): { start: number; end: number; origin: string } | null {
  const network = parseIpv4(networkText);
  const netmask = parseIpv4(netmaskText);
  const bits = netmask === null ? null : netmaskBits(netmask);
  if (network === null || netmask === null || bits === null || bits < MIN_NETBITS) {
    return null;
  }
  const broadcast = network + (2 ** 32 - 1 - netmask);
  if (network % 2 ** (32 - bits) !== 0) {
    return null; // host bits set in the network address: OpenVPN calls the combination invalid
  }
  const origin = `server ${networkText}/${bits}`;
  if (tap) {
    return bits > 30 ? null : { start: network + 2, end: broadcast - 1, origin };
  }
  if (bits > 29) {
    return null;
  }
  if (topology === 'subnet') {
    const reserve = atLeast(release, 2, 5, 5) ? 1 : 2;
    return { start: network + 2, end: broadcast - reserve, origin };
  }
  // net30 and p2p: the server keeps the first /30; a /29 leaves nothing to reserve at the end
  return { start: network + 4, end: broadcast - (bits === 29 ? 0 : 4), origin };
}

function parseRelease(version: string | undefined): Release | null {
  const match = version ? /(\d+)\.(\d+)(?:\.(\d+))?/.exec(version) : null;
  if (!match) {
    return null;
  }
  const [text, major, minor, patch] = match;
  return { major: Number(major), minor: Number(minor), patch: Number(patch ?? 0), text };
}

function atLeast(release: Release, major: number, minor: number, patch: number): boolean {
  return (
    release.major - major > 0 ||
    (release.major === major && (release.minor - minor > 0 || (release.minor === minor && release.patch >= patch)))
  );
}
