import fs from 'node:fs';
import type { ServerConfig, VpnscopeConfig } from '../config';
import { parseStatus } from '../parsers/openvpn-status';
import { parseOpenVpnConfig } from '../parsers/openvpn-config';
import { configuredPoolSize } from '../sources/openvpn/configured-pool';
import { installedOpenVpnVersion } from '../sources/openvpn/discovery';
import { reportedPoolSizesIn } from '../sources/openvpn/reported-pool';
import type { StatusClient } from '../model';
import { percentageInUse, type ServerStatus } from './status-format';

/**
 * Reads every OpenVPN server's live status file directly, so `vpnscope status` works from
 * cron without the service running. The pool size is the one the server reported (kept in the
 * service's database) when there is one, else the one its configuration implies.
 */
export function collectStatus(config: VpnscopeConfig): ServerStatus[] {
  const openvpnVersion = installedOpenVpnVersion();
  const reported = reportedPoolSizesIn(config.database);
  return config.servers
    .filter((server) => server.kind === 'openvpn' && server.statusFile)
    .map((server) =>
      serverStatus(server, reported.get(server.name) ?? configuredPoolSize(server, openvpnVersion).size)
    );
}

function serverStatus(server: ServerConfig, max: number | null): ServerStatus {
  const base: ServerStatus = {
    profile_id: server.name,
    active_connection_count: 0,
    max_connection_count: max,
    percentage_in_use: percentageInUse(0, max),
    port_client_count: {},
    connection_list: [],
  };
  let text: string;
  try {
    text = fs.readFileSync(server.statusFile as string, 'utf8');
  } catch (error) {
    return { ...base, error: `cannot read ${server.statusFile}: ${(error as Error).message}` };
  }
  const { value: report, complete } = parseStatus(text);
  if (!complete) {
    return { ...base, error: `${server.statusFile} ended before its END line (torn or truncated); try again` };
  }
  const active = report.clients.length;
  return {
    ...base,
    active_connection_count: active,
    percentage_in_use: percentageInUse(active, max),
    port_client_count: { [listenerOf(server)]: active },
    connection_list: report.clients.map(connectionOf),
  };
}

function connectionOf(client: StatusClient): ServerStatus['connection_list'][number] {
  return {
    user_id: client.username ?? client.commonName,
    common_name: client.commonName,
    virtual_address: [client.virtualIpv4, client.virtualIpv6].filter((address): address is string => Boolean(address)),
    real_address: client.realAddress,
    connected_since: new Date(client.connectedSince * 1000).toISOString(),
  };
}

/** `udp/1194`, like eduVPN's port_client_count keys; from the server's OpenVPN config when known. */
function listenerOf(server: ServerConfig): string {
  let proto = 'udp';
  let port = 1194;
  if (server.openvpnConfig) {
    try {
      const conf = parseOpenVpnConfig(fs.readFileSync(server.openvpnConfig, 'utf8')).value;
      proto = conf.proto?.startsWith('tcp') ? 'tcp' : 'udp';
      port = conf.port ?? port;
    } catch {
      // the listener is a label only; the defaults stand when the config can't be read
    }
  }
  return `${proto}/${port}`;
}
