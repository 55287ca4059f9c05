import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { configFromDocument } from '../../backend/src/config';
import { startService, type Service } from '../../backend/src/service';
import type { HealthResponse, ServerInfo } from '../../backend/src/contract';
import { fixturesDir } from '../support/run-cli';
import { makeTempDir } from '../support/temp-dir';

jest.setTimeout(30_000);

/** The real v2 capture, re-dated to now so it is not stale, optionally without some clients. */
function freshStatus(withoutUsers: string[] = []): string {
  const now = Math.floor(Date.now() / 1000);
  return fs
    .readFileSync(path.join(fixturesDir, 'status-v2.log'), 'utf8')
    .replace(/^TIME,([^,]*),\d+$/m, `TIME,$1,${now}`)
    .split('\n')
    .filter((line) => !withoutUsers.some((user) => line.startsWith(`CLIENT_LIST,${user},`)))
    .join('\n');
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

describe('vpnscope serve', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let statusPath: string;
  let service: Service;

  const get = async <T>(url: string): Promise<T> => (await fetch(service.url + url)).json() as Promise<T>;
  const liveSessions = async () => (await get<ServerInfo[]>('/api/v1/servers'))[0]?.liveSessions;

  beforeEach(async () => {
    temp = makeTempDir();
    statusPath = path.join(temp.dir, 'status.log');
    fs.writeFileSync(statusPath, freshStatus());
    const config = configFromDocument(
      { listen: { port: 0 }, pollInterval: 0.2, servers: [{ name: 'lab', statusFile: statusPath, poolSize: 253 }] },
      'test',
      temp.dir
    );
    service = await startService(config, pino({ level: 'silent' }), 'test');
  });

  afterEach(async () => {
    await service.stop();
    temp.cleanup();
  });

  it('listens on loopback, polls the status file and ends a session that vanished', async () => {
    expect(new URL(service.url).hostname).toBe('127.0.0.1');
    await eventually(liveSessions, (n) => n === 3, 'three live sessions');
    fs.writeFileSync(statusPath, freshStatus(['user2']));
    await eventually(liveSessions, (n) => n === 2, 'user2 to end');
    const ended = service.db.prepare('SELECT user, end_reason FROM sessions WHERE ended_at IS NOT NULL').all();
    expect(ended).toEqual([{ user: 'user2', end_reason: 'vanished' }]);
  });

  it('keeps sessions open through a torn status file and shows the error in health', async () => {
    await eventually(liveSessions, (n) => n === 3, 'three live sessions');
    const text = freshStatus();
    fs.writeFileSync(statusPath, text.slice(0, text.indexOf('CLIENT_LIST,user3')));
    const health = await eventually(
      () => get<HealthResponse>('/api/v1/health'),
      (h) => h.status === 'down',
      'the source to be down'
    );
    expect(health.sources[0].lastError).toMatch(/ended before its END line in 3 reads/);
    expect(await liveSessions()).toBe(3);
    fs.writeFileSync(statusPath, freshStatus());
    await eventually(
      () => get<HealthResponse>('/api/v1/health'),
      (h) => h.status === 'ok',
      'the source to recover'
    );
    const kinds = service.db.prepare("SELECT kind FROM events WHERE kind LIKE 'source_%' ORDER BY id").all();
    expect(kinds).toEqual([{ kind: 'source_up' }, { kind: 'source_down' }, { kind: 'source_up' }]);
  });

  it('calls a status file that OpenVPN stopped rewriting stale instead of trusting it', async () => {
    fs.writeFileSync(
      statusPath,
      freshStatus().replace(/^TIME,([^,]*),\d+$/m, `TIME,$1,${Math.floor(Date.now() / 1000) - 3600}`)
    );
    const health = await eventually(
      () => get<HealthResponse>('/api/v1/health'),
      (h) => h.sources[0]?.errorCount > 0,
      'an error'
    );
    expect(health.sources[0].lastError).toMatch(/is stale: last updated \d+ s ago/);
    expect(await liveSessions()).toBe(0);
  });
});
