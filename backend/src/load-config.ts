import fs from 'node:fs';
import path from 'node:path';
import { configFromDocument, loadConfigFile, type VpnscopeConfig } from './config';
import { discoverOpenVpnServers, DEFAULT_CONFIG_DIRS } from './sources/openvpn/discovery';

export interface LoadedConfig {
  config: VpnscopeConfig;
  /** Where the configuration came from, for the startup log. */
  origin: string;
  notes: string[];
}

export const DEFAULT_CONFIG_FILES = ['vpnscope.yaml', '/etc/vpnscope/vpnscope.yaml'];

/**
 * `--config FILE`, else $VPNSCOPE_CONFIG, else ./vpnscope.yaml or /etc/vpnscope/vpnscope.yaml;
 * with none of those, defaults plus the OpenVPN servers found in /etc/openvpn.
 */
export function loadConfig(
  explicitPath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  discoveryDirs = DEFAULT_CONFIG_DIRS
): LoadedConfig {
  const file =
    explicitPath ?? env.VPNSCOPE_CONFIG ?? DEFAULT_CONFIG_FILES.find((candidate) => fs.existsSync(candidate));
  if (file) {
    return { config: loadConfigFile(file), origin: path.resolve(file), notes: [] };
  }
  const discovery = discoverOpenVpnServers(discoveryDirs);
  const config = configFromDocument({ servers: discovery.servers }, 'discovered configuration', process.cwd());
  const searched = discoveryDirs.map(({ dir }) => dir).join(', ');
  const notes =
    discovery.servers.length > 0
      ? discovery.notes
      : [...discovery.notes, `no vpnscope.yaml and no OpenVPN server config in ${searched}: nothing to watch yet`];
  return { config, origin: `discovered in ${searched}`, notes };
}

export function vpnscopeVersion(): string {
  const packageJson = path.resolve(__dirname, '../../package.json');
  return (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string }).version;
}
