import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import { SourceHealthRegistry } from '../../backend/src/sources/source-health';
import { StatusFileSource } from '../../backend/src/sources/openvpn/status-file-source';
import type { StatusClient } from '../../backend/src/model';
import { formatStatus } from '../support/openvpn-status-writer';
import { makeTempDir } from '../support/temp-dir';

const UPDATED_AT = 1_795_000_000;

const client = (commonName: string, clientId: number): StatusClient => ({
  commonName,
  realAddress: `198.18.0.${clientId + 2}:${41_000 + clientId}`,
  realIp: `198.18.0.${clientId + 2}`,
  realPort: 41_000 + clientId,
  virtualIpv4: `198.19.0.${clientId + 2}`,
  bytesReceived: 1_000 * clientId,
  bytesSent: 2_000 * clientId,
  connectedSince: UPDATED_AT - 60,
  username: commonName,
  clientId,
});

describe('StatusFileSource reading a status file from disk', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Db;
  let statusPath: string;
  let source: StatusFileSource;

  beforeEach(() => {
    temp = makeTempDir();
    statusPath = path.join(temp.dir, 'status.log');
    db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
    const tracker = new SessionTracker(new SessionStore(db));
    tracker.registerServer('udp1194', 'openvpn', { size: 253, source: 'test' });
    source = new StatusFileSource({
      server: 'udp1194',
      path: statusPath,
      tracker,
      health: new SourceHealthRegistry(),
      log: pino({ level: 'silent' }),
      staleAfterSeconds: 3600,
      now: () => UPDATED_AT + 5,
    });
  });

  afterEach(() => {
    db.close();
    temp.cleanup();
  });

  const users = () =>
    (db.prepare('SELECT user FROM sessions ORDER BY client_id').all() as Array<{ user: string }>).map((r) => r.user);

  it.each([
    ['plain ASCII', ['alice', 'bob.smith@example.org']],
    ['UTF-8 names beside ASCII ones', ['zoë', 'björn.müller', '山田太郎', 'carol']],
  ])('keeps every common name intact in a file of %s', async (_, names) => {
    const report = {
      format: 2 as const,
      updatedAt: UPDATED_AT,
      clients: names.map((name, i) => client(name, i + 1)),
      routes: [],
      globalStats: {},
    };
    fs.writeFileSync(statusPath, formatStatus(report, { format: 2 }), 'utf8');
    await source.poll();
    expect(users()).toEqual(names);
  });
});
