import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../backend/src/api/app';
import { parseStatus } from '../../../backend/src/parsers/openvpn-status';
import { clientInfoFromPeerInfo } from '../../../backend/src/parsers/peer-info';
import { classifyLogMessage, parseLogEntry, type LogFact } from '../../../backend/src/parsers/management-log';
import { observedSession } from '../../../backend/src/sources/openvpn/observed-sessions';
import { SourceHealthRegistry } from '../../../backend/src/sources/source-health';
import { openDatabase, type Db } from '../../../backend/src/store/database';
import { SessionStore } from '../../../backend/src/store/session-store';
import { SessionTracker } from '../../../backend/src/tracker/session-tracker';
import type { ObservedSession } from '../../../backend/src/model';
import { makeTempDir } from '../../support/temp-dir';

const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures/openvpn-2.6.14');
const POLL_EVERY_S = 60;
/** Two hours of polls: enough for rates, hourly capacity buckets and a session that ends. */
const POLLS = 120;

export interface SeededBackend {
  app: FastifyInstance;
  /** Unix seconds of the last poll; the API answers as if it were now. */
  now: number;
  servers: string[];
  users: string[];
  close(): Promise<void>;
}

function clientsOf(fixture: string): ObservedSession[] {
  const result = parseStatus(fs.readFileSync(path.join(FIXTURES, fixture), 'utf8'));
  if (!result.complete || result.issues.length > 0) {
    throw new Error(`fixture ${fixture} did not parse cleanly: ${JSON.stringify(result.issues)}`);
  }
  return result.value.clients.map(observedSession);
}

/** The peer info a real 2.6.14 client sent (`>CLIENT:ENV,key=value` lines of a capture). */
function capturedPeerInfo(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(FIXTURES, 'mgmt-established.txt'), 'utf8').split(/\r?\n/)) {
    const match = /^>CLIENT:ENV,([^=]+)=(.*)$/.exec(line);
    if (match) {
      env[match[1]] = match[2];
    }
  }
  return env;
}

/** What the server's own log (`log on all` of the capture) says, with each line's time. */
function capturedLogFacts(): Array<{ time: number; fact: LogFact }> {
  return fs
    .readFileSync(path.join(FIXTURES, 'mgmt-log-on-all.txt'), 'utf8')
    .split(/\r?\n/)
    .flatMap((line) => {
      const entry = parseLogEntry(line);
      const fact = entry && classifyLogMessage(entry.message);
      return entry && fact ? [{ time: entry.time, fact }] : [];
    });
}

/** Each poll, every session's counters grow by its own steady amount. */
const grown = (session: ObservedSession, poll: number, index: number): ObservedSession => ({
  ...session,
  bytesIn: session.bytesIn + poll * 40_000 * (index + 1),
  bytesOut: session.bytesOut + poll * 150_000 * (index + 1),
});

/**
 * A live vpnscope API over a real SQLite file, filled the way `serve` fills it: the real
 * OpenVPN 2.6.14 status captures (v2 for `udp1194`, v1 for `tcp443`) polled through the tracker
 * for two hours with growing counters, one session ending half way; the pool size and restart
 * from the captured server log, the captured client's peer info, and a few failed logins.
 */
export async function startSeededBackend(): Promise<SeededBackend> {
  const temp = makeTempDir('vpnscope-provisioning-');
  const db: Db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
  const tracker = new SessionTracker(new SessionStore(db));
  const udp = clientsOf('status-v2.log');
  const tcp = clientsOf('status-v1.log');
  const log = capturedLogFacts();
  const poolLine = log.find(({ fact }) => fact.kind === 'pool_size');
  if (poolLine?.fact.kind !== 'pool_size') {
    throw new Error('the captured server log has no IFCONFIG POOL line');
  }
  const poolSize = poolLine.fact.size;
  tracker.registerServer('udp1194', 'openvpn', { size: poolSize, source: 'IFCONFIG POOL log line' });
  for (const { time, fact } of log) {
    if (fact.kind === 'server_restart') {
      tracker.recordEvent('udp1194', { ts: time, kind: 'server_restart', detail: fact.detail });
    }
  }
  tracker.registerServer('tcp443', 'openvpn', { size: 10, source: 'poolSize in vpnscope.yaml' });

  const start = Math.max(...[...udp, ...tcp].map((session) => session.connectedSince)) + 10;
  const info = clientInfoFromPeerInfo(capturedPeerInfo());
  for (const session of udp) {
    tracker.setClientInfo('udp1194', session.clientId ?? -1, info, start);
  }
  for (let poll = 0; poll < POLLS; poll++) {
    const ts = start + poll * POLL_EVERY_S;
    tracker.applySnapshot({ server: 'udp1194', ts, sessions: udp.map((s, i) => grown(s, poll, i)) });
    const stillConnected = poll < POLLS / 2 ? tcp : tcp.slice(0, -1);
    tracker.applySnapshot({ server: 'tcp443', ts, sessions: stillConnected.map((s, i) => grown(s, poll, i)) });
  }
  const now = start + (POLLS - 1) * POLL_EVERY_S;
  for (let attempt = 0; attempt < 4; attempt++) {
    tracker.recordEvent('udp1194', {
      ts: now - 600 + attempt * 30,
      kind: attempt % 2 === 0 ? 'auth_failure' : 'tls_error',
      user: 'mallory',
      realAddress: `198.18.7.${attempt + 1}:5${attempt}000`,
      detail: attempt % 2 === 0 ? 'AUTH_FAILED' : 'TLS handshake failed',
    });
  }

  const app = await buildApp({ db, health: new SourceHealthRegistry(), version: 'test', now: () => now });
  return {
    app,
    now,
    servers: ['udp1194', 'tcp443'],
    users: [...new Set([...udp, ...tcp].map((session) => session.user))].sort(),
    async close() {
      await app.close();
      db.close();
      temp.cleanup();
    },
  };
}
