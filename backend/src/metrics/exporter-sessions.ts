import type { Db } from '../store/database';
import { parseRealAddress } from '../parsers/real-address';

/** One element of the Go OpenVPN exporter's `/sessions` array: every value a string, as it sends them. */
export interface ExporterSession {
  server: string;
  protocol: string;
  p1uniqueid: string;
  p2uniqueid: string;
  state: string;
  remotehost: string;
  remoteport: string;
  remoteid: string;
  remotets: string;
  established: string;
  bytesin: string;
  bytesout: string;
  packetsin: string;
  packetsout: string;
}

interface LiveSessionRow {
  server: string;
  clientId: number | null;
  commonName: string;
  realAddress: string;
  virtualIpv4: string | null;
  virtualIpv6: string | null;
  startedAt: number;
  bytesIn: number;
  bytesOut: number;
}

const LIVE_OPENVPN_SESSIONS = `
  SELECT servers.name AS server, s.client_id AS clientId, s.common_name AS commonName,
         s.real_address AS realAddress, s.virtual_ipv4 AS virtualIpv4, s.virtual_ipv6 AS virtualIpv6,
         s.started_at AS startedAt, c.bytes_in AS bytesIn, c.bytes_out AS bytesOut
  FROM servers JOIN sessions s ON s.server_id = servers.id AND s.ended_at IS NULL
  JOIN session_counters c ON c.session_id = s.id
  WHERE servers.kind = 'openvpn'
  ORDER BY servers.name, s.started_at, s.id`;

/**
 * The open OpenVPN sessions in the exporter's shape. Fields vpnscope does not keep are filled as
 * the exporter fills what it cannot know: the protocol is empty (a status file of OpenVPN 2.6
 * does not print it), the peer id and packet counts are "0". `established` is UTC.
 */
export function exporterSessions(db: Db): ExporterSession[] {
  const rows = db.prepare(LIVE_OPENVPN_SESSIONS).all() as LiveSessionRow[];
  return rows.map((row) => {
    const parsed = parseRealAddress(row.realAddress);
    const address = typeof parsed === 'string' ? null : parsed;
    return {
      server: row.server,
      protocol: '',
      p1uniqueid: String(row.clientId ?? 0),
      p2uniqueid: '0',
      state: 'ESTABLISHED',
      remotehost: address?.realIp ?? row.realAddress,
      remoteport: address?.realPort === undefined ? '' : String(address.realPort),
      remoteid: row.commonName,
      remotets: row.virtualIpv4 ?? row.virtualIpv6 ?? '',
      established: new Date(row.startedAt * 1000).toISOString().slice(0, 19).replace('T', ' '),
      bytesin: String(row.bytesIn),
      bytesout: String(row.bytesOut),
      packetsin: '0',
      packetsout: '0',
    };
  });
}
