import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../backend/src/api/app';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import { SourceHealthRegistry } from '../../backend/src/sources/source-health';
import type { HealthResponse, QueryResponse, ServerInfo } from '../../backend/src/contract';
import { makeTempDir } from '../support/temp-dir';

describe('HTTP API', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Db;
  let health: SourceHealthRegistry;
  let app: FastifyInstance;

  beforeEach(async () => {
    temp = makeTempDir();
    db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
    health = new SourceHealthRegistry();
    const tracker = new SessionTracker(new SessionStore(db));
    tracker.registerServer('udp1194', 'openvpn', { size: 253, source: 'poolSize in vpnscope.yaml' });
    tracker.applySnapshot({
      server: 'udp1194',
      ts: 1_795_275_500,
      sessions: [
        {
          key: 'cid:0:1795275400',
          user: 'alice',
          commonName: 'alice',
          realAddress: '198.18.0.2:40000',
          virtualIpv4: '198.19.0.2',
          clientId: 0,
          connectedSince: 1_795_275_400,
          bytesIn: 10,
          bytesOut: 20,
        },
      ],
    });
    app = await buildApp({ db, health, version: '9.9.9' });
  });

  afterEach(async () => {
    await app.close();
    db.close();
    temp.cleanup();
  });

  const query = (body: unknown) => app.inject({ method: 'POST', url: '/api/v1/query', payload: body as object });

  it('says there is nothing to watch when no source is configured', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json<HealthResponse>()).toEqual({ status: 'no_sources', version: '9.9.9', sources: [] });
  });

  it('reports per-source health: degraded when one of two sources fails', async () => {
    health.register('udp1194', 'status-file', '/run/a.log');
    health.register('tcp443', 'status-file', '/run/b.log');
    health.record('udp1194', 'status-file', { ok: true, parseIssues: 2 }, 100);
    health.record('tcp443', 'status-file', { ok: false, error: 'status file /run/b.log does not exist' }, 100);
    const body = (await app.inject({ method: 'GET', url: '/api/v1/health' })).json<HealthResponse>();
    expect(body.status).toBe('degraded');
    expect(body.sources).toEqual([
      expect.objectContaining({ server: 'udp1194', up: true, lastSuccessAt: 100, parseErrorCount: 2, pollCount: 1 }),
      expect.objectContaining({
        server: 'tcp443',
        up: false,
        lastError: 'status file /run/b.log does not exist',
        errorCount: 1,
      }),
    ]);
  });

  it('lists servers with their pool size, where it came from, and live sessions', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/servers' });
    expect(response.json<ServerInfo[]>()).toEqual([
      { name: 'udp1194', kind: 'openvpn', poolSize: 253, poolSizeSource: 'poolSize in vpnscope.yaml', liveSessions: 1 },
    ]);
  });

  it('answers a sessions query with a frame per refId', async () => {
    const response = await query({
      range: { from: 1_795_270_000_000, to: 1_795_280_000_000 },
      queries: [{ refId: 'A', queryType: 'sessions', state: 'live' }],
    });
    expect(response.statusCode).toBe(200);
    const frames = response.json<QueryResponse>().results.A.frames;
    expect(frames).toHaveLength(1);
    const fields = frames[0].schema.fields.map((field) => field.name);
    const userColumn = frames[0].data.values[fields.findIndex((name) => /user/i.test(name))];
    expect(userColumn).toEqual(['alice']);
  });

  it.each([
    [{ queries: [] }, 'body.range is required'],
    [
      { range: { from: 0, to: 1 }, queries: [{ refId: 'A', queryType: 'sessions', state: 'open' }] },
      'body.queries[0].state must be one of: live, all',
    ],
    [
      { range: { from: 0, to: 1 }, queries: [{ refId: 'A', queryType: 'bogus' }] },
      'body.queries[0].queryType must be one of',
    ],
    [
      { range: { from: 0, to: 1 }, queries: [{ refId: 'A', queryType: 'traffic', topN: -1 }] },
      'body.queries[0].topN must be >= 0',
    ],
    [
      { range: { from: 0, to: 1 }, queries: [{ refId: 'A', queryType: 'variable' }] },
      'body.queries[0].variable is required',
    ],
    [{ range: { from: 5, to: 1 }, queries: [] }, 'body.range.from must not be after body.range.to'],
  ])('rejects a bad query with a 400 naming the field: %j', async (body, message) => {
    const response = await query(body);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain(message);
  });

  describe('with a bearer token', () => {
    let secured: FastifyInstance;
    beforeEach(async () => {
      secured = await buildApp({ db, health, version: '9.9.9', apiToken: 's3cret' });
    });
    afterEach(() => secured.close());

    it('refuses requests without the token or with a wrong one, and serves the right one', async () => {
      const missing = await secured.inject({ method: 'GET', url: '/api/v1/servers' });
      const wrong = await secured.inject({
        method: 'GET',
        url: '/api/v1/servers',
        headers: { authorization: 'Bearer nope' },
      });
      const right = await secured.inject({
        method: 'GET',
        url: '/api/v1/servers',
        headers: { authorization: 'Bearer s3cret' },
      });
      expect([missing.statusCode, wrong.statusCode, right.statusCode]).toEqual([401, 401, 200]);
      expect(missing.json()).toEqual({ error: 'missing bearer token (api.token)' });
      expect(wrong.json()).toEqual({ error: 'invalid bearer token (api.token)' });
    });
  });
});
