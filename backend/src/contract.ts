/**
 * The query contract between the Grafana plugin (src/) and the backend API.
 * Type-only: the plugin imports it with `import type`, so nothing here may carry runtime code.
 * Times on the wire are unix milliseconds, as Grafana speaks them.
 */

export type QueryType = 'sessions' | 'traffic' | 'capacity' | 'apps' | 'events' | 'variable';

export interface BaseQuery {
  refId: string;
  queryType: QueryType;
  /**
   * Only these servers: one exact name or a comma-separated list (`vpn1,vpn2`, how the plugin
   * sends a multi-value or "All" variable); empty or absent means all servers.
   */
  server?: string;
  /** Only these users: one exact name or a comma-separated list; empty or absent means all users. */
  user?: string;
}

export interface SessionsQuery extends BaseQuery {
  queryType: 'sessions';
  /** `live`: sessions open now; `all`: every session overlapping the range. Default `live`. */
  state?: 'live' | 'all';
}

export type TrafficDirection = 'in' | 'out' | 'both';

export interface TrafficQuery extends BaseQuery {
  queryType: 'traffic';
  /** `rate`: bytes per second; `volume`: bytes per interval bucket. Default `rate`. */
  unit?: 'rate' | 'volume';
  /** `in` = bytes the server received from clients, `out` = bytes it sent. Default `both`. */
  direction?: TrafficDirection;
  /** Default `server`. */
  groupBy?: 'none' | 'server' | 'user';
  /** Keep only the N busiest groups over the range (0 or absent: all). */
  topN?: number;
  /** Per-user (or per-group) totals per calendar day/week/month (UTC) instead of a rate series. */
  totals?: 'day' | 'week' | 'month';
}

export interface CapacityQuery extends BaseQuery {
  queryType: 'capacity';
  /** `timeseries` (default) or `table` (the current value per server/pool). */
  format?: 'timeseries' | 'table';
  /** `percent` (default) or `counts` (used and size). */
  measure?: 'percent' | 'counts';
}

export type AppDimension = 'app' | 'app_version' | 'platform' | 'client_version';

export interface AppsQuery extends BaseQuery {
  queryType: 'apps';
  /** Default `app`. */
  dimension?: AppDimension;
  /** `table` (default): distinct users and sessions per value; `timeseries`: distinct users per value over time. */
  format?: 'table' | 'timeseries';
}

export type EventKind =
  | 'connect'
  | 'disconnect'
  | 'auth_failure'
  | 'tls_error'
  | 'server_restart'
  | 'source_error'
  | 'source_down'
  | 'source_up'
  | 'session_killed';

export interface EventsQuery extends BaseQuery {
  queryType: 'events';
  /** Only these kinds; empty or absent means all. */
  kinds?: EventKind[];
}

export interface VariableQuery extends BaseQuery {
  queryType: 'variable';
  /** Which values to list: server names, user names, or app names seen in the range. */
  variable: 'servers' | 'users' | 'apps';
}

export type VpnQuery = SessionsQuery | TrafficQuery | CapacityQuery | AppsQuery | EventsQuery | VariableQuery;

export interface QueryRequest {
  range: { from: number; to: number };
  intervalMs?: number;
  maxDataPoints?: number;
  queries: VpnQuery[];
}

/** The subset of Grafana's DataFrameJSON that the backend emits; `dataFrameFromJSON` reads it. */
export type FieldTypeName = 'time' | 'number' | 'string' | 'boolean' | 'other';

export interface FieldConfigJSON {
  unit?: string;
  displayName?: string;
  displayNameFromDS?: string;
  decimals?: number;
  min?: number;
  max?: number;
}

export interface FieldSchemaJSON {
  name: string;
  type: FieldTypeName;
  labels?: Record<string, string>;
  config?: FieldConfigJSON;
}

export interface DataFrameJSON {
  schema: {
    name?: string;
    refId?: string;
    meta?: {
      preferredVisualisationType?: 'table' | 'graph' | 'logs';
      notices?: Array<{ severity: 'info' | 'warning' | 'error'; text: string }>;
    };
    fields: FieldSchemaJSON[];
  };
  data: { values: unknown[][] };
}

export interface QueryResponse {
  results: Record<string, { frames: DataFrameJSON[]; error?: string }>;
}

export type SourceKind = 'status-file' | 'management' | 'syslog';

export interface SourceHealth {
  server: string;
  kind: SourceKind;
  /** File path or socket address the source reads. */
  target: string;
  up: boolean;
  lastSuccessAt: number | null;
  lastErrorAt: number | null;
  lastError: string | null;
  errorCount: number;
  /** Lines a parser rejected since start (the poll itself still succeeded). */
  parseErrorCount: number;
  pollCount: number;
}

export interface HealthResponse {
  status: 'ok' | 'degraded' | 'down' | 'no_sources';
  version: string;
  sources: SourceHealth[];
}

export interface ServerInfo {
  name: string;
  kind: 'openvpn' | 'pptpd';
  poolSize: number | null;
  poolSizeSource: string | null;
  liveSessions: number;
}
