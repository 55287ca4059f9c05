/**
 * Run by tests/integration/retained-heap.test.ts in a node with --expose-gc: polls a big status
 * report many times, each poll opening one new session, and prints the heap left after a full
 * collection. A session that pinned the text of the report it came from would keep every one.
 */
import path from 'node:path';
import { parseStatus } from '../../backend/src/parsers/openvpn-status';
import { observedSession } from '../../backend/src/sources/openvpn/observed-sessions';
import { openDatabase } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import type { StatusClient } from '../../backend/src/model';
import { formatStatus } from './openvpn-status-writer';

const [dir, pollsText, clientsText] = process.argv.slice(2);
const polls = Number(pollsText);
const clients = Number(clientsText);
const T0 = 1_795_000_000;

const client = (index: number): StatusClient => ({
  commonName: `a-rather-long-common-name-${index}`,
  username: `a-rather-long-user-name-${index}`,
  realAddress: `198.18.${index >> 8}.${index & 255}:${40_000 + (index % 20_000)}`,
  realIp: `198.18.${index >> 8}.${index & 255}`,
  realPort: 40_000 + (index % 20_000),
  virtualIpv4: `198.19.${index >> 8}.${index & 255}`,
  virtualIpv6: `2001:db8:100::${index.toString(16)}`,
  bytesReceived: 1000,
  bytesSent: 1000,
  connectedSince: T0,
  clientId: index,
  peerId: index,
  cipher: 'AES-256-GCM-with-a-long-name',
});

const db = openDatabase(path.join(dir, 'heap.db'));
const tracker = new SessionTracker(new SessionStore(db));
tracker.registerServer('heap', 'openvpn', { size: null, source: null });
const listed: StatusClient[] = Array.from({ length: clients }, (_, index) => client(index));
for (let poll = 0; poll < polls; poll++) {
  listed.push(client(clients + poll)); // one new session per poll, from this poll's text
  const text = formatStatus(
    { format: 2, updatedAt: T0 + poll, clients: listed, routes: [], globalStats: {} },
    { format: 2 }
  );
  const sessions = parseStatus(text, { routes: false }).value.clients.map(observedSession);
  tracker.applySnapshot({ server: 'heap', ts: T0 + poll * 10, sessions });
}
(globalThis as { gc?: () => void }).gc?.();
process.stdout.write(
  `${JSON.stringify({ heapUsed: process.memoryUsage().heapUsed, live: tracker.liveSessions('heap').size })}\n`
);
db.close();
