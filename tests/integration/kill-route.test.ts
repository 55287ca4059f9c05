import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp, type AppOptions } from '../../backend/src/api/app';
import type { ObservedSession } from '../../backend/src/model';
import { ManagementSources } from '../../backend/src/sources/openvpn/management-sources';
import { SourceHealthRegistry } from '../../backend/src/sources/source-health';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import { waitFor } from '../e2e/harness/wait';
import { formatStatus } from '../support/openvpn-status-writer';
import { ScriptedManagementServer } from '../support/scripted-management-server';
import { makeTempDir } from '../support/temp-dir';

const ADMIN = 'admin-t0ken-for-kills';
const READER = 'read-only-api-t0ken';
const T0 = 1_795_275_500;

function observed(user: string, clientId: number | undefined, port: number): ObservedSession {
  return {
    key: clientId === undefined ? `cn:${user}|198.18.0.2:${port}|${T0 - 60}` : `cid:${clientId}:${T0 - 60}`,
    user,
    commonName: user,
    realAddress: `198.18.0.2:${port}`,
    clientId,
    connectedSince: T0 - 60,
    bytesIn: 100,
    bytesOut: 100,
  };
}

/** OpenVPN's answers: client 0 and common name `bob` exist, nothing else does. */
function answer(command: string): string[] {
  switch (command) {
    case 'client-kill 0':
      return ['SUCCESS: client-kill command succeeded'];
    case 'kill bob':
      return ["SUCCESS: common name 'bob' found, 1 client(s) killed"];
    case 'status 3':
      return formatStatus(
        {
          format: 3,
          updatedAt: T0,
          routes: [],
          globalStats: {},
          clients: [
            {
              commonName: 'alice',
              realAddress: '198.18.0.2:40000',
              realIp: '198.18.0.2',
              realPort: 40000,
              bytesReceived: 100,
              bytesSent: 100,
              connectedSince: T0 - 60,
              clientId: 0,
            },
          ],
        },
        { format: 3 }
      )
        .trimEnd()
        .split('\n');
    default:
      return command.startsWith('client-kill') ? ['ERROR: client-kill command failed'] : ['SUCCESS: ok', 'END'];
  }
}

describe('POST /api/v1/sessions/:id/kill', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Db;
  let tracker: SessionTracker;
  let health: SourceHealthRegistry;
  let server: ScriptedManagementServer;
  let sources: ManagementSources;
  let app: FastifyInstance | undefined;
  const socket = () => path.join(temp.dir, 'mgmt.sock');

  const sessionId = (user: string) =>
    (db.prepare('SELECT id FROM sessions WHERE user = ? AND ended_at IS NULL').get(user) as { id: number }).id;
  const killedEvents = () =>
    db.prepare("SELECT user, real_address AS realAddress, detail FROM events WHERE kind = 'session_killed'").all();

  beforeEach(async () => {
    temp = makeTempDir('vpnscope-kill-');
    db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
    tracker = new SessionTracker(new SessionStore(db));
    health = new SourceHealthRegistry();
    server = await ScriptedManagementServer.listen({ path: socket(), answer });
    sources = new ManagementSources({ db, tracker, health, log: pino({ level: 'silent' }), pollInterval: 3600 });
    for (const name of ['lab', 'plain']) {
      tracker.registerServer(name, 'openvpn', { size: 253, source: 'poolSize in vpnscope.yaml' });
    }
    // poll mode and no start(): the sessions are the ones written here, and each kill is a visit of its own
    sources.add('lab', { socket: socket(), mode: 'poll' });
    tracker.applySnapshot({
      server: 'lab',
      ts: T0 - 30,
      sessions: [observed('alice', 0, 40000), observed('bob', undefined, 40001), observed('dave', 9, 40003)],
    });
    tracker.applySnapshot({
      server: 'lab',
      ts: T0,
      sessions: [observed('alice', 0, 40000), observed('bob', undefined, 40001)],
    });
    tracker.applySnapshot({ server: 'plain', ts: T0, sessions: [observed('carol', 0, 40002)] });
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await sources.stop();
    await server.close().catch(() => undefined);
    db.close();
    temp.cleanup();
  });

  async function start(options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
    app = await buildApp({
      db,
      health,
      version: 'test',
      adminToken: ADMIN,
      killer: sources,
      now: () => T0 + 5,
      ...options,
    });
    return app;
  }

  const kill = (id: number, headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` }) =>
    (app as FastifyInstance).inject({ method: 'POST', url: `/api/v1/sessions/${id}/kill`, headers });

  it('is switched off with a clear answer when no admin token is configured', async () => {
    await start({ adminToken: undefined });
    const response = await kill(sessionId('alice'));
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toMatch(/switched off: set api\.adminToken/);
    expect(server.commands).toEqual([]);
  });

  it('refuses a request without the admin token, or with the read-only API token', async () => {
    await start({ apiToken: READER });
    expect((await kill(sessionId('alice'), {})).statusCode).toBe(401);
    const withReader = await kill(sessionId('alice'), { authorization: `Bearer ${READER}` });
    expect(withReader.statusCode).toBe(403);
    expect(withReader.json().message).toBe('killing a session needs the admin token (api.adminToken)');
    expect((await kill(sessionId('alice'), { authorization: 'Bearer guessed' })).statusCode).toBe(401);
    expect(server.commands).toEqual([]);
  });

  it('lets the admin token through the API token check of the other routes', async () => {
    await start({ apiToken: READER });
    const servers = await app?.inject({ url: '/api/v1/servers', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(servers?.statusCode).toBe(200);
  });

  it('kills by client id, answers with OpenVPN’s reply and records who asked', async () => {
    await start();
    const id = sessionId('alice');
    const response = await kill(id, {
      authorization: `Bearer ${ADMIN}`,
      'x-vpnscope-actor': 'alice.admin (ticket 42)',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      session: id,
      server: 'lab',
      command: 'client-kill 0',
      reply: 'SUCCESS: client-kill command succeeded',
    });
    expect(server.commands).toEqual(['client-kill 0']);
    expect(killedEvents()).toEqual([
      {
        user: 'alice',
        realAddress: '198.18.0.2:40000',
        detail: 'client-kill 0 by alice.admin (ticket 42) from 127.0.0.1: SUCCESS: client-kill command succeeded',
      },
    ]);
  });

  it('falls back to the common name for a session without a client id, and names the token when nobody is named', async () => {
    await start();
    const response = await kill(sessionId('bob'));
    expect(response.json()).toMatchObject({
      command: 'kill bob',
      reply: "SUCCESS: common name 'bob' found, 1 client(s) killed",
    });
    expect(killedEvents()).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('by the admin token from 127.0.0.1') }),
    ]);
  });

  it('answers 404 for an unknown or ended session and 409 for a server without a management interface', async () => {
    await start();
    expect((await kill(9999)).statusCode).toBe(404);
    const dave = db.prepare("SELECT id FROM sessions WHERE user = 'dave'").get() as { id: number };
    expect((await kill(dave.id)).json()).toEqual({
      error: 'Not Found',
      message: `session ${dave.id} does not exist or has ended`,
    });
    const carol = await kill(sessionId('carol'));
    expect(carol.statusCode).toBe(409);
    expect(carol.json().message).toBe('server plain has no management interface configured in vpnscope.yaml');
    expect((await kill(0)).statusCode).toBe(400);
    expect(server.commands).toEqual([]);
  });

  it('passes on OpenVPN’s ERROR as 502 and an unreachable interface as 503, recording no kill', async () => {
    await start();
    tracker.applySnapshot({
      server: 'lab',
      ts: T0 + 1,
      sessions: [observed('alice', 0, 40000), observed('erin', 5, 40004)],
    });
    const refused = await kill(sessionId('erin'));
    expect(refused.statusCode).toBe(502);
    expect(refused.json()).toMatchObject({ reply: 'ERROR: client-kill command failed' });
    await server.close();
    const unreachable = await kill(sessionId('alice'));
    expect(unreachable.statusCode).toBe(503);
    expect(unreachable.json().message).toBe('the management interface of lab did not answer: ENOENT');
    expect(killedEvents()).toEqual([]);
  });

  it('in stream mode sends the kill over the connection that is already open', async () => {
    const streaming = new ManagementSources({
      db,
      tracker,
      health,
      log: pino({ level: 'silent' }),
      pollInterval: 3600,
    });
    streaming.add('lab', { socket: socket(), mode: 'stream' });
    streaming.start();
    try {
      await waitFor('the stream to be set up', () => server.commands.includes('log on all'));
      await start({ killer: streaming });
      expect((await kill(sessionId('alice'))).statusCode).toBe(200);
      expect(server.commands.at(-1)).toBe('client-kill 0');
      expect(server.connections).toBe(1);
    } finally {
      await streaming.stop();
    }
  });
});
