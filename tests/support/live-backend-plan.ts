/**
 * What the live backend of the plugin tests holds (tests/plugin/live-backend/), as plain data:
 * the seed (live-backend-seed.ts, run by serve-live-backend.ts in Node) writes it through the
 * tracker, and the plugin's jsdom tests read it to know which range to ask for. No imports, so
 * the jsdom side loads none of the backend.
 *
 * Three servers, each polled from one real OpenVPN 2.6.14 status capture, once a minute for an
 * hour. Every poll each user's counters grow by `TRAFFIC_GROWTH[user]` times 600 bytes in and
 * 6000 bytes out, so every rate is a whole number of bytes per second. user6 leaves tcp443 at
 * poll `USER6_LEAVES_AT_POLL`.
 */

export const POLL_EVERY_S = 60;
export const POLLS = 60;
/** Unix seconds of the first poll: a whole minute just after the captures' newest connection. */
export const FIRST_POLL = 1_795_275_540;
export const LAST_POLL = FIRST_POLL + (POLLS - 1) * POLL_EVERY_S;
export const USER6_LEAVES_AT_POLL = 40;

export interface SeededServer {
  name: string;
  /** The status capture in ../shared/fixtures/openvpn-2.6.14/ its polls report. */
  capture: string;
  /** Configured pool size; tcp443 takes its own from the IFCONFIG POOL line of the captured log. */
  poolSize: number | null;
}

export const SEEDED_SERVERS: SeededServer[] = [
  { name: 'udp1194', capture: 'status-v2.log', poolSize: 10 },
  { name: 'tcp443', capture: 'status-v3.log', poolSize: null },
  { name: 'udp1195', capture: 'status-v1.log', poolSize: 4 },
];

export const BYTES_IN_PER_POLL = 600;
export const BYTES_OUT_PER_POLL = 6000;
export const TRAFFIC_GROWTH: Record<string, number> = { user1: 1, user2: 2, user3: 4, user6: 10 };

/** Failed logins recorded besides what the polls record (connects, the disconnect, the restart). */
export const FAILED_LOGINS = [
  {
    server: 'udp1194',
    ts: FIRST_POLL + 600,
    kind: 'auth_failure',
    user: 'mallory',
    realAddress: '198.18.7.1:50000',
    detail: 'AUTH_FAILED',
  },
  {
    server: 'tcp443',
    ts: FIRST_POLL + 1200,
    kind: 'auth_failure',
    user: 'eve',
    realAddress: '198.18.7.2:50100',
    detail: 'VERIFY ERROR: depth=0, error=unable to get local issuer certificate: CN=eve',
  },
  {
    server: 'udp1195',
    ts: FIRST_POLL + 1800,
    kind: 'tls_error',
    user: null,
    realAddress: '198.18.7.3:50200',
    detail: 'TLS handshake failed',
  },
] as const;

export const API_TOKEN = 'live-backend-token';
export const BACKEND_VERSION = '0.1.0-live';

/**
 * The apps one launch serves, all over the same database: `open` needs no token and has every
 * source up, `token` requires API_TOKEN, `noSources` has no source configured, and in
 * `sourcesDown` tcp443's management interface is down.
 */
export type LiveBackendName = 'open' | 'token' | 'noSources' | 'sourcesDown';
export const LIVE_BACKEND_NAMES: LiveBackendName[] = ['open', 'token', 'noSources', 'sourcesDown'];

/** The one stdout line serve-live-backend.ts prints once every app listens. */
export interface LiveBackendReady {
  urls: Record<LiveBackendName, string>;
}
