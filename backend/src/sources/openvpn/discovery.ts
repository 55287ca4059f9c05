import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { ServerConfig } from '../../config';
import { parseOpenVpnConfig, type OpenVpnServerConfig } from '../../parsers/openvpn-config';

/** Where Debian's systemd units keep server configs, and where they tell OpenVPN to write status. */
export const DEFAULT_CONFIG_DIRS = [
  { dir: '/etc/openvpn/server', runtimeStatus: (name: string) => `/run/openvpn-server/status-${name}.log` },
  { dir: '/etc/openvpn', runtimeStatus: (name: string) => `/run/openvpn/${name}.status` },
];

export interface Discovery {
  servers: ServerConfig[];
  /** What was found and decided, one sentence each, for the startup log. */
  notes: string[];
}

/**
 * With no vpnscope.yaml, finds OpenVPN server configs in the usual places and turns each into a
 * server entry. A config without a `status` directive still has a status file when started by
 * Debian's units (openvpn-server@ passes `--status /run/openvpn-server/status-NAME.log
 * --status-version 2`; openvpn@ passes `--status /run/openvpn/NAME.status`).
 */
export function discoverOpenVpnServers(dirs = DEFAULT_CONFIG_DIRS): Discovery {
  const servers: ServerConfig[] = [];
  const notes: string[] = [];
  for (const { dir, runtimeStatus } of dirs) {
    for (const file of configFiles(dir)) {
      const name = path.basename(file, '.conf');
      const { value: conf, issues } = parseOpenVpnConfig(fs.readFileSync(file, 'utf8'));
      if (!isServerConfig(conf)) {
        notes.push(`${file}: not a server config (no server, ifconfig-pool, status or management directive), skipped`);
        continue;
      }
      if (servers.some((server) => server.name === name)) {
        notes.push(`${file}: a server named "${name}" was already found, skipped`);
        continue;
      }
      const workDir = conf.cd ? path.resolve(dir, conf.cd) : dir;
      const statusFile = conf.status ? path.resolve(workDir, conf.status.path) : runtimeStatus(name);
      servers.push({
        name,
        kind: 'openvpn',
        statusFile,
        openvpnConfig: file,
        ...(conf.management ? { management: managementOf(conf.management, workDir) } : {}),
      });
      notes.push(
        `${file}: server "${name}", status file ${statusFile}${conf.status ? '' : ' (systemd default)'}` +
          (conf.management ? `, management ${describeManagement(conf.management)}` : '') +
          (issues.length > 0 ? `, ${issues.length} line(s) not understood` : '')
      );
    }
  }
  return { servers, notes };
}

/** The installed OpenVPN's version (`2.6.14`), which decides some pool rules; null when not installed. */
export function installedOpenVpnVersion(): string | null {
  try {
    const output = execFileSync('openvpn', ['--version'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /OpenVPN (\d+\.\d+\.\d+)/.exec(output)?.[1] ?? null;
  } catch (error) {
    // openvpn --version exits 1 after printing on some versions
    const stdout = (error as { stdout?: string }).stdout ?? '';
    return /OpenVPN (\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? null;
  }
}

function configFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.conf'))
      .map((entry) => path.join(dir, entry.name))
      .sort();
  } catch {
    return [];
  }
}

function isServerConfig(conf: OpenVpnServerConfig): boolean {
  return Boolean(conf.server || conf.ifconfigPool || conf.status || conf.management);
}

/**
 * Discovered interfaces are visited in `poll` mode: OpenVPN serves one management client at a
 * time, and a server vpnscope merely found may already be watched by another tool (eduVPN,
 * openvpn-monitor). Naming the server in vpnscope.yaml opts into `stream`.
 */
function managementOf(
  management: NonNullable<OpenVpnServerConfig['management']>,
  workDir: string
): ServerConfig['management'] {
  const passwordFile = management.passwordFile ? path.resolve(workDir, management.passwordFile) : undefined;
  return management.kind === 'unix'
    ? { socket: path.resolve(workDir, management.path), passwordFile, mode: 'poll' }
    : { host: management.host, port: management.port, passwordFile, mode: 'poll' };
}

function describeManagement(management: NonNullable<OpenVpnServerConfig['management']>): string {
  return management.kind === 'unix' ? `unix socket ${management.path}` : `tcp ${management.host}:${management.port}`;
}
