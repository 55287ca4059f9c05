import fs from 'node:fs';
import type { ServerConfig } from '../../config';
import { parsePptpdConfig } from '../../parsers/pptpd-config';
import type { PoolSize } from '../../tracker/session-tracker';

export const DEFAULT_PPTPD_CONFIG = '/etc/pptpd.conf';

/**
 * How many calls a pptpd server can carry: `poolSize` in vpnscope.yaml wins, then the
 * `remoteip`/`localip`/`connections` lines of `pptpdConfig`, else of /etc/pptpd.conf when that
 * exists. The source names the file and what limits the pool, for the operator to check.
 */
export function pptpdPoolSize(server: ServerConfig, defaultConfig = DEFAULT_PPTPD_CONFIG): PoolSize {
  if (server.poolSize !== undefined) {
    return { size: server.poolSize, source: 'poolSize in vpnscope.yaml' };
  }
  const file = server.pptpdConfig ?? (fs.existsSync(defaultConfig) ? defaultConfig : undefined);
  if (file === undefined) {
    return { size: null, source: null };
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { size: null, source: `cannot read ${file}: ${(error as Error).message}` };
  }
  const { value: config, issues } = parsePptpdConfig(text);
  const rejected =
    issues.length > 0 ? `; ${issues.map((issue) => `line ${issue.line}: ${issue.message}`).join('; ')}` : '';
  return { size: config.poolSize, source: `${file}: ${limitOf(config)}${rejected}` };
}

function limitOf(config: ReturnType<typeof parsePptpdConfig>['value']): string {
  if (config.delegate) {
    return `connections ${config.connections} (delegate: pppd assigns addresses)`;
  }
  if (config.poolSize === config.connections && config.remoteip.count >= config.connections) {
    return `connections ${config.connections}`;
  }
  const remote = config.remoteip.written ?? "pptpd's default";
  return config.poolSize < config.remoteip.count
    ? `localip ${config.localip.written ?? "pptpd's default"}`
    : `remoteip ${remote}`;
}
