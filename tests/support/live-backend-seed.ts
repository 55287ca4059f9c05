import fs from 'node:fs';
import path from 'node:path';
import type { ObservedSession } from '../../backend/src/model';
import { classifyLogMessage, parseLogEntry } from '../../backend/src/parsers/management-log';
import { parseStatus } from '../../backend/src/parsers/openvpn-status';
import { clientInfoFromPeerInfo } from '../../backend/src/parsers/peer-info';
import { observedSession } from '../../backend/src/sources/openvpn/observed-sessions';
import { SourceHealthRegistry } from '../../backend/src/sources/source-health';
import type { Db } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import {
  BYTES_IN_PER_POLL,
  BYTES_OUT_PER_POLL,
  FAILED_LOGINS,
  FIRST_POLL,
  POLL_EVERY_S,
  POLLS,
  SEEDED_SERVERS,
  TRAFFIC_GROWTH,
  USER6_LEAVES_AT_POLL,
  type LiveBackendName,
} from './live-backend-plan';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/openvpn-2.6.14');

const readCapture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function capturedSessions(capture: string): ObservedSession[] {
  const result = parseStatus(readCapture(capture));
  if (!result.complete || result.issues.length > 0) {
    throw new Error(`capture ${capture} did not parse cleanly: ${JSON.stringify(result.issues)}`);
  }
  return result.value.clients.map(observedSession);
}

interface CapturedLog {
  /** IV_* variables each client reported, by real address. */
  peerInfo: Map<string, { ts: number; env: Record<string, string> }>;
  poolSize: number;
  restart: { ts: number; detail: string };
}

/** The management log of tcp443's server (history and live `>LOG:` lines), read by the real classifier. */
function capturedLog(): CapturedLog {
  const peerInfo: CapturedLog['peerInfo'] = new Map();
  let poolSize: number | undefined;
  let restart: CapturedLog['restart'] | undefined;
  for (const line of readCapture('mgmt-log-on-all.txt').split(/\r?\n/)) {
    const entry = parseLogEntry(line.replace(/^>LOG:/, ''));
    const fact = entry && classifyLogMessage(entry.message);
    if (!entry || !fact) {
      continue;
    }
    if (fact.kind === 'peer_info') {
      const client = peerInfo.get(fact.peer.realAddress) ?? { ts: entry.time, env: {} };
      client.env[fact.key] = fact.value;
      peerInfo.set(fact.peer.realAddress, client);
    } else if (fact.kind === 'pool_size') {
      poolSize ??= fact.size;
    } else if (fact.kind === 'server_restart') {
      restart ??= { ts: entry.time, detail: fact.detail };
    }
  }
  if (poolSize === undefined || restart === undefined) {
    throw new Error('mgmt-log-on-all.txt no longer has its IFCONFIG POOL and restart lines');
  }
  return { peerInfo, poolSize, restart };
}

/** A session as the `poll`th status report shows it: its counters grown by its user's share. */
const grown = (session: ObservedSession, poll: number): ObservedSession => {
  const growth = TRAFFIC_GROWTH[session.user] * poll;
  return {
    ...session,
    bytesIn: session.bytesIn + growth * BYTES_IN_PER_POLL,
    bytesOut: session.bytesOut + growth * BYTES_OUT_PER_POLL,
  };
};

/**
 * Fills `db` the way `vpnscope serve` would from these captures (see live-backend-plan.ts):
 * the tracker registers each server, applies every poll, attaches the peer info tcp443's
 * management log reported for its clients, and records the log's restart and the failed logins.
 */
export function seedLiveBackend(db: Db): void {
  const tracker = new SessionTracker(new SessionStore(db));
  const log = capturedLog();
  const sessions = new Map(SEEDED_SERVERS.map((server) => [server.name, capturedSessions(server.capture)]));
  for (const server of SEEDED_SERVERS) {
    const pool =
      server.poolSize === null
        ? { size: log.poolSize, source: 'IFCONFIG POOL log line' }
        : { size: server.poolSize, source: `ifconfig-pool in ${server.name}.conf` };
    tracker.registerServer(server.name, 'openvpn', pool);
  }

  const tcp443 = sessions.get('tcp443') ?? [];
  for (const session of tcp443) {
    const client = log.peerInfo.get(session.realAddress);
    if (!client || session.clientId === undefined) {
      throw new Error(`no peer info in the captured log for ${session.user} at ${session.realAddress}`);
    }
    tracker.setClientInfo('tcp443', session.clientId, clientInfoFromPeerInfo(client.env), client.ts);
  }
  tracker.recordEvent('tcp443', { ts: log.restart.ts, kind: 'server_restart', detail: log.restart.detail });

  for (let poll = 0; poll < POLLS; poll++) {
    const ts = FIRST_POLL + poll * POLL_EVERY_S;
    for (const [server, observed] of sessions) {
      const present = observed.filter((session) => session.user !== 'user6' || poll < USER6_LEAVES_AT_POLL);
      tracker.applySnapshot({ server, ts, sessions: present.map((session) => grown(session, poll)) });
    }
  }
  for (const { server, ...event } of FAILED_LOGINS) {
    tracker.recordEvent(server, event);
  }
}

/** The sources each app reports on /api/v1/health; see LiveBackendName. */
export function sourceHealth(name: LiveBackendName, now: number): SourceHealthRegistry {
  const health = new SourceHealthRegistry();
  if (name === 'noSources') {
    return health;
  }
  for (const server of SEEDED_SERVERS) {
    health.register(server.name, 'status-file', `/run/openvpn-server/status-${server.name}.log`);
    health.record(server.name, 'status-file', { ok: true, parseIssues: 0 }, now);
  }
  health.register('tcp443', 'management', '127.0.0.1:7505');
  health.record(
    'tcp443',
    'management',
    name === 'sourcesDown' ? { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:7505' } : { ok: true, parseIssues: 0 },
    now
  );
  return health;
}
