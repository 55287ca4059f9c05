import type { DataFrameJSON, SessionsQuery } from '../contract';
import { filterParams, overlappingSessions, serverMatches, userMatches } from './filters';
import { millis, shown, tableFrame, type Column } from './frames';
import type { QueryContext } from './query-context';
import { prepared } from '../store/prepared';

interface SessionRow {
  id: number;
  user: string;
  server: string;
  realAddress: string;
  virtualIpv4: string | null;
  virtualIpv6: string | null;
  startedAt: number;
  endedAt: number | null;
  lastSeen: number;
  bytesIn: number;
  bytesOut: number;
  app: string | null;
  appVersion: string | null;
  platform: string | null;
  clientVersion: string | null;
  cipher: string | null;
  endReason: string | null;
}

const sessionsSql = (conditions: string[]): string => `
  SELECT s.id, s.user, v.name AS server, s.real_address AS realAddress, s.virtual_ipv4 AS virtualIpv4,
         s.virtual_ipv6 AS virtualIpv6, s.started_at AS startedAt, s.ended_at AS endedAt, c.last_seen AS lastSeen,
         c.bytes_in AS bytesIn, c.bytes_out AS bytesOut, s.app, s.app_version AS appVersion, s.platform,
         s.client_version AS clientVersion, s.cipher, s.end_reason AS endReason
  FROM sessions s JOIN servers v ON v.id = s.server_id JOIN session_counters c ON c.session_id = s.id
  WHERE ${[...conditions, serverMatches('s.server_id')].join(' AND ')}
  ORDER BY s.started_at DESC, s.id DESC`;

const liveSql = sessionsSql(['s.ended_at IS NULL', userMatches('s.user')]);

/**
 * Average rate over the session's life: its byte counters are cumulative up to last_seen. The
 * rate of the latest interval cannot be told from storage, which keeps no row for idle polls.
 */
const averageRate = (bytes: number, row: SessionRow): number | null =>
  row.lastSeen > row.startedAt ? bytes / (row.lastSeen - row.startedAt) : null;

const columns = (now: number): Array<Column<SessionRow>> => [
  { name: 'user', type: 'string', config: shown('User'), value: (r) => r.user },
  { name: 'server', type: 'string', config: shown('Server'), value: (r) => r.server },
  { name: 'real_address', type: 'string', config: shown('Real address'), value: (r) => r.realAddress },
  { name: 'virtual_ipv4', type: 'string', config: shown('Virtual IPv4'), value: (r) => r.virtualIpv4 },
  { name: 'virtual_ipv6', type: 'string', config: shown('Virtual IPv6'), value: (r) => r.virtualIpv6 },
  { name: 'since', type: 'time', config: shown('Since', 'dateTimeAsIso'), value: (r) => millis(r.startedAt) },
  {
    name: 'ended',
    type: 'time',
    config: shown('Ended', 'dateTimeAsIso'),
    value: (r) => (r.endedAt === null ? null : millis(r.endedAt)),
  },
  // A live session has lasted until now, even if the last poll was a little while ago.
  { name: 'duration', type: 'number', config: shown('Duration', 's'), value: (r) => (r.endedAt ?? now) - r.startedAt },
  { name: 'bytes_in', type: 'number', config: shown('Bytes in', 'bytes'), value: (r) => r.bytesIn },
  { name: 'bytes_out', type: 'number', config: shown('Bytes out', 'bytes'), value: (r) => r.bytesOut },
  { name: 'avg_rate_in', type: 'number', config: shown('Avg rate in', 'Bps'), value: (r) => averageRate(r.bytesIn, r) },
  {
    name: 'avg_rate_out',
    type: 'number',
    config: shown('Avg rate out', 'Bps'),
    value: (r) => averageRate(r.bytesOut, r),
  },
  { name: 'app', type: 'string', config: shown('App'), value: (r) => r.app },
  { name: 'app_version', type: 'string', config: shown('App version'), value: (r) => r.appVersion },
  { name: 'platform', type: 'string', config: shown('Platform'), value: (r) => r.platform },
  { name: 'client_version', type: 'string', config: shown('Client version'), value: (r) => r.clientVersion },
  { name: 'cipher', type: 'string', config: shown('Cipher'), value: (r) => r.cipher },
  { name: 'end_reason', type: 'string', config: shown('End reason'), value: (r) => r.endReason },
  // What `vpnscope kill` and POST /api/v1/sessions/{id}/kill take.
  { name: 'session_id', type: 'number', config: shown('Session id'), value: (r) => r.id },
];

/** Live sessions (default), or every session connected at some moment of the range; newest first. */
export function sessionsFrames(ctx: QueryContext, query: SessionsQuery): DataFrameJSON[] {
  const filters = filterParams(query);
  const sql =
    (query.state ?? 'live') === 'live' ? liveSql : sessionsSql([overlappingSessions('s', filters.user !== null)]);
  const rows = prepared(ctx.db, sql).all({ from: ctx.fromS, to: ctx.toS, ...filters }) as SessionRow[];
  return [tableFrame(rows, columns(ctx.now), 'sessions')];
}
