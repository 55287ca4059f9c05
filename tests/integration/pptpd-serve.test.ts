import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { configFromDocument } from '../../backend/src/config';
import type { HealthResponse, ServerInfo } from '../../backend/src/contract';
import { startService, type Service } from '../../backend/src/service';
import { fixtureLines } from '../support/pptpd-source-lab';
import { makeTempDir } from '../support/temp-dir';

jest.setTimeout(30_000);

async function eventually<T>(probe: () => Promise<T> | T, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}

describe('vpnscope serve with a pptpd server', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let syslog: string;
  let service: Service;

  const start = async () => {
    const config = configFromDocument(
      {
        listen: { port: 0 },
        database: 'vpnscope.db',
        pollInterval: 0.1,
        servers: [{ name: 'pptp', kind: 'pptpd', syslog: 'syslog', pptpdConfig: 'pptpd.conf' }],
      },
      'test',
      temp.dir
    );
    service = await startService(config, pino({ level: 'silent' }), 'test');
  };
  const get = async <T>(url: string): Promise<T> => (await fetch(service.url + url)).json() as Promise<T>;
  const sessions = () =>
    service.db.prepare('SELECT user, ended_at AS endedAt FROM sessions ORDER BY started_at').all() as Array<{
      user: string;
      endedAt: number | null;
    }>;

  beforeEach(async () => {
    temp = makeTempDir('vpnscope-serve-pptpd-');
    syslog = path.join(temp.dir, 'syslog');
    fs.writeFileSync(path.join(temp.dir, 'pptpd.conf'), 'localip 198.19.0.1\nremoteip 198.19.0.10-29\n');
    fs.writeFileSync(syslog, fixtureLines('pid-reuse.log', 0, 27)); // gina's session, then hank connected
    await start();
  });
  afterEach(async () => {
    await service.stop();
    temp.cleanup();
  });

  it('imports the log at start, follows it, takes the pool size from pptpd.conf, and restarts without doubles', async () => {
    await eventually(sessions, (rows) => rows.length === 2, 'the sessions of the log');
    expect(sessions()).toEqual([
      { user: 'gina', endedAt: expect.any(Number) },
      { user: 'hank', endedAt: null },
    ]);
    const [server] = await get<ServerInfo[]>('/api/v1/servers');
    expect(server).toMatchObject({ name: 'pptp', kind: 'pptpd', poolSize: 20, liveSessions: 1 });
    expect(server.poolSizeSource).toBe(`${path.join(temp.dir, 'pptpd.conf')}: remoteip 198.19.0.10-29`);
    const health = await get<HealthResponse>('/api/v1/health');
    expect(health.sources).toEqual([expect.objectContaining({ kind: 'syslog', target: syslog, up: true })]);

    fs.appendFileSync(syslog, fixtureLines('pid-reuse.log', 27));
    await eventually(sessions, (rows) => rows.length === 3, 'ivan');
    await service.stop();
    await start();
    await eventually(
      () => service.health.all()[0]?.pollCount ?? 0,
      (polls) => polls > 1,
      'a poll after the restart'
    );
    expect(sessions().map((row) => [row.user, row.endedAt !== null])).toEqual([
      ['gina', true],
      ['hank', true],
      ['ivan', true],
    ]);
  });
});
