import fs from 'node:fs';
import type { ServerConfig } from '../../config';
import { parseOpenVpnConfig } from '../../parsers/openvpn-config';
import { poolCapacity } from '../../parsers/openvpn-pool';
import type { PoolSize } from '../../tracker/session-tracker';

/**
 * The pool size a server starts with: `poolSize` from vpnscope.yaml wins, then the rules
 * applied to its OpenVPN config file. The management interface may later report the exact
 * size from OpenVPN's `IFCONFIG POOL` log line.
 */
export function configuredPoolSize(server: ServerConfig, openvpnVersion: string | null): PoolSize {
  if (server.poolSize !== undefined) {
    return { size: server.poolSize, source: 'poolSize in vpnscope.yaml' };
  }
  if (!server.openvpnConfig) {
    return { size: null, source: null };
  }
  let text: string;
  try {
    text = fs.readFileSync(server.openvpnConfig, 'utf8');
  } catch (error) {
    return { size: null, source: `cannot read ${server.openvpnConfig}: ${(error as Error).message}` };
  }
  const pool = poolCapacity(parseOpenVpnConfig(text).value, server.openvpnVersion ?? openvpnVersion ?? undefined);
  return pool ? { size: pool.size, source: `${server.openvpnConfig}: ${pool.rule}` } : { size: null, source: null };
}
