/**
 * Records that flow between the layers: parsers produce them, the tracker consumes them.
 * Times are unix seconds (UTC). Byte directions are the server's view: `bytesIn` is what the
 * server received from the client ("Bytes Received"), `bytesOut` what it sent.
 */

/** A precise, counted complaint about one line of input. Parsers return these; they never throw. */
export interface ParseIssue {
  /** 1-based line number in the input. */
  line: number;
  message: string;
}

export interface ParseResult<T> {
  value: T;
  issues: ParseIssue[];
}

/** One client as an OpenVPN status report (file or `status N` reply) lists it. */
export interface StatusClient {
  commonName: string;
  /** `Username` column; absent when the report has none or says UNDEF. */
  username?: string;
  /** Real address as printed, normalised: protocol prefix removed, `[v6]:port` unwrapped. */
  realAddress: string;
  realIp: string;
  realPort?: number;
  /** `udp4`, `tcp4-server`, ... when OpenVPN 2.7 printed a protocol prefix. */
  protocol?: string;
  virtualIpv4?: string;
  virtualIpv6?: string;
  bytesReceived: number;
  bytesSent: number;
  /** Unix seconds; from the time_t column when present, else the local-time text. */
  connectedSince: number;
  clientId?: number;
  /** Absent when OpenVPN reports none (16777215). */
  peerId?: number;
  cipher?: string;
}

export interface StatusRoute {
  virtualAddress: string;
  /** True for `C`-suffixed (cached) routes in v1. */
  cached: boolean;
  commonName: string;
  realAddress: string;
  lastRef: number;
}

export interface StatusReport {
  format: 1 | 2 | 3;
  /** `TITLE` line (v2/v3), e.g. "OpenVPN 2.6.14 x86_64-pc-linux-gnu ...". */
  title?: string;
  /** Unix seconds of the `Updated`/`TIME` line; null when missing. */
  updatedAt: number | null;
  clients: StatusClient[];
  routes: StatusRoute[];
  /** GLOBAL_STATS rows keyed by name (`Max bcast/mcast queue length`, `dco_enabled`, ...). */
  globalStats: Record<string, string>;
}

/** The outcome of parsing a status text: `complete` is false when the final `END` is missing (torn read). */
export interface StatusParseResult extends ParseResult<StatusReport> {
  complete: boolean;
}

/** A session as a source saw it at one instant; the tracker turns a list of these into lifecycle and deltas. */
export interface ObservedSession {
  /** Identity within its server: never the common name alone (duplicate-cn is legal). */
  key: string;
  user: string;
  commonName: string;
  realAddress: string;
  virtualIpv4?: string;
  virtualIpv6?: string;
  clientId?: number;
  connectedSince: number;
  bytesIn: number;
  bytesOut: number;
  cipher?: string;
}

/** Everything one successful poll of one server saw. */
export interface ServerSnapshot {
  server: string;
  /** Unix seconds when the poll happened. */
  ts: number;
  sessions: ObservedSession[];
  /** Pool size if the source knows it better than configuration (e.g. from `IFCONFIG POOL`). */
  poolSize?: number;
}

/** App and platform facts a client reports (IV_* peer info), attached to its session. */
export interface ClientInfo {
  app: string;
  appVersion: string | null;
  platform: string | null;
  platformVersion: string | null;
  clientVersion: string | null;
}
