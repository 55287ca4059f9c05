import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { claimAddressSlot } from './address-slot';
import { LabTools, requireLabTools } from './preflight';
import { run } from './run';
import { shellWord, startCleanupWatchdog } from './watchdog';

/**
 * The addresses of one lab, all derived from its slot X:
 *
 *   server netns  vsc<X>s 198.18.X.1/25  ── veth ──  vsc<X>c 198.18.X.2/25  client netns
 *                 vsc<X>m 198.18.X.254/30 ── veth ──  vsc<X>r 198.18.X.253/30 root netns (the test process)
 *
 * OpenVPN listens on 198.18.X.1:1194; every client connects from 198.18.X.2 (as in the fixtures).
 * The second link exists so the test process can reach a TCP management port in the server netns.
 */
export interface LabNetwork {
  readonly index: number;
  readonly serverNamespace: string;
  readonly clientNamespace: string;
  /** Where OpenVPN listens (UDP 1194) and clients connect to. */
  readonly serverAddress: string;
  /** The one source address all clients connect from. */
  readonly clientAddress: string;
  /** Server-netns address reachable from the test process: bind TCP management here. */
  readonly managementHost: string;
  /** First three octets of the IPv4 tunnel pool, for tests that write their own pool lines. */
  readonly poolPrefix: string;
  /** The IPv4 tunnel network in CIDR form: `198.19.X.0/24`. */
  readonly poolNetwork: string;
  /** The IPv6 tunnel network: `2001:db8:X::/64`. */
  readonly poolIpv6Network: string;
  /** The server's own tunnel address (the first of the pool network), target of client traffic. */
  readonly serverVpnAddress: string;
}

export interface OwnedLabNetwork extends LabNetwork {
  /** A fresh temporary directory for this lab's files, removed with the namespaces. */
  readonly directory: string;
  /** Kills what still runs in the namespaces, removes them, the directory and the slot lock. */
  destroy(): Promise<void>;
}

const NAMESPACE_PREFIX = 'vpnscope-e2e-';

/**
 * Claims a slot, clears what a crashed run may have left in it, starts the cleanup watchdog (which
 * from then on owns the slot lock) and builds the namespaces, links and the lab directory.
 */
export async function createLabNetwork(tools: LabTools): Promise<OwnedLabNetwork> {
  const slot = claimAddressSlot();
  const network = describeNetwork(slot.index);
  // named after the slot, so whoever cleans the slot up also finds a crashed run's files
  const directoryPrefix = path.join(os.tmpdir(), `${NAMESPACE_PREFIX}${slot.index}-`);
  const cleanup = cleanupScript(tools, network, directoryPrefix);
  if (slot.tookOverStaleSlot || hasLeftovers(network)) {
    await run('sh', ['-c', cleanup]);
  }
  const watchdog = startCleanupWatchdog(`${cleanup}\nrm -f ${shellWord(slot.lockPath)}`);
  slot.handOverTo(watchdog.pid);
  try {
    const directory = await mkdtemp(directoryPrefix);
    for (const [command, ...args] of setupCommands(tools, network)) {
      await run(command, args);
    }
    return { ...network, directory, destroy: watchdog.finish };
  } catch (error) {
    await watchdog.finish();
    throw error;
  }
}

function describeNetwork(index: number): LabNetwork {
  return {
    index,
    serverNamespace: `${NAMESPACE_PREFIX}${index}-server`,
    clientNamespace: `${NAMESPACE_PREFIX}${index}-clients`,
    serverAddress: `198.18.${index}.1`,
    clientAddress: `198.18.${index}.2`,
    managementHost: `198.18.${index}.254`,
    poolPrefix: `198.19.${index}`,
    poolNetwork: `198.19.${index}.0/24`,
    poolIpv6Network: `2001:db8:${index}::/64`,
    serverVpnAddress: `198.19.${index}.1`,
  };
}

function linkNames(index: number) {
  return {
    server: `vsc${index}s`,
    client: `vsc${index}c`,
    managementServerSide: `vsc${index}m`,
    managementRootSide: `vsc${index}r`,
  };
}

function setupCommands(tools: LabTools, network: LabNetwork): string[][] {
  const { ip } = tools;
  const { serverNamespace: server, clientNamespace: client } = network;
  const links = linkNames(network.index);
  const rootAddress = `198.18.${network.index}.253`;
  // no automatic IPv6 link-local addresses anywhere: the lab uses only 198.18/15 and 2001:db8::/32
  const noLinkLocalByDefault = (namespace: string) => [
    ip,
    'netns',
    'exec',
    namespace,
    'sh',
    '-c',
    'echo 1 > /proc/sys/net/ipv6/conf/default/addr_gen_mode',
  ];
  return [
    [ip, 'netns', 'add', server],
    [ip, 'netns', 'add', client],
    noLinkLocalByDefault(server),
    noLinkLocalByDefault(client),
    [ip, 'link', 'add', links.server, 'netns', server, 'type', 'veth', 'peer', 'name', links.client, 'netns', client],
    [
      ip,
      'link',
      'add',
      links.managementRootSide,
      'type',
      'veth',
      'peer',
      'name',
      links.managementServerSide,
      'netns',
      server,
    ],
    [ip, 'link', 'set', links.managementRootSide, 'addrgenmode', 'none'],
    [ip, 'addr', 'add', `${rootAddress}/30`, 'dev', links.managementRootSide],
    [ip, 'link', 'set', links.managementRootSide, 'up'],
    [ip, '-n', server, 'addr', 'add', `${network.serverAddress}/25`, 'dev', links.server],
    [ip, '-n', server, 'addr', 'add', `${network.managementHost}/30`, 'dev', links.managementServerSide],
    [ip, '-n', server, 'link', 'set', 'lo', 'up'],
    [ip, '-n', server, 'link', 'set', links.server, 'up'],
    [ip, '-n', server, 'link', 'set', links.managementServerSide, 'up'],
    [ip, '-n', client, 'addr', 'add', `${network.clientAddress}/25`, 'dev', links.client],
    [ip, '-n', client, 'link', 'set', 'lo', 'up'],
    [ip, '-n', client, 'link', 'set', links.client, 'up'],
  ];
}

/**
 * A shell script that always finishes: processes first (a crashed run's OpenVPN outlives it and keeps
 * its namespace alive), then the root-side veth explicitly, because the kernel frees a deleted
 * namespace and the veths in it asynchronously and the next lab in this slot needs the name.
 * Last the slot's directories (only this lab's, or a crashed run's in the same slot).
 */
function cleanupScript(tools: LabTools, network: LabNetwork, directoryPrefix: string): string {
  const ip = shellWord(tools.ip);
  const namespaces = [network.serverNamespace, network.clientNamespace].map(shellWord);
  return [
    `for pid in ${namespaces.map((namespace) => `$(${ip} netns pids ${namespace} 2>/dev/null)`).join(' ')}; do`,
    '  kill -9 "$pid"',
    'done',
    `${ip} link del ${shellWord(linkNames(network.index).managementRootSide)} 2>/dev/null`,
    ...namespaces.map((namespace) => `${ip} netns del ${namespace} 2>/dev/null`),
    `rm -rf ${shellWord(directoryPrefix)}*`,
  ].join('\n');
}

function hasLeftovers(network: LabNetwork): boolean {
  return (
    existsSync(`/run/netns/${network.serverNamespace}`) ||
    existsSync(`/run/netns/${network.clientNamespace}`) ||
    existsSync(`/sys/class/net/${linkNames(network.index).managementRootSide}`)
  );
}

/** Lab namespaces that exist now (any slot, any process), e.g. to check that a test cleaned up. */
export async function labNamespaces(): Promise<string[]> {
  const output = await run(requireLabTools().ip, ['netns', 'list']);
  return output
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((name) => name.startsWith(NAMESPACE_PREFIX));
}
