import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../store/database';
import type { SessionToKill } from '../../sources/openvpn/session-kill';
import { bearerToken, tokenMatches } from '../auth';
import type { AppOptions } from '../app';

/** Who asked, for the event: the caller may name itself in this header, e.g. `alice (vpnscope kill)`. */
export const ACTOR_HEADER = 'x-vpnscope-actor';

interface KillAnswer {
  session: number;
  server: string;
  command: string;
  /** OpenVPN's line as it sent it: `SUCCESS: client-kill command succeeded`. */
  reply: string;
}

const problem = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' }, reply: { type: 'string' } },
};

const schema = {
  params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } },
  response: {
    200: {
      type: 'object',
      properties: {
        session: { type: 'integer' },
        server: { type: 'string' },
        command: { type: 'string' },
        reply: { type: 'string' },
      },
    },
    '4xx': problem,
    '5xx': problem,
  },
} as const;

/**
 * `POST /api/v1/sessions/:id/kill`: ends a live OpenVPN session through its server's management
 * interface. Destructive, so it is off until an admin token is configured, and it takes that
 * token only (the read-only API token is not enough).
 */
export const killRoutes: FastifyPluginAsync<AppOptions> = async (app, options) => {
  app.post<{ Params: { id: number } }>('/api/v1/sessions/:id/kill', { schema }, async (request, reply) => {
    const refusal = checkAdmin(request, options.adminToken);
    if (refusal) {
      return send(reply, refusal.code, refusal.message);
    }
    const session = liveSession(options.db, request.params.id);
    if (!session) {
      return send(reply, 404, `session ${request.params.id} does not exist or has ended`);
    }
    const now = options.now?.() ?? Math.floor(Date.now() / 1000);
    const outcome = options.killer
      ? await options.killer.kill(session, requester(request), now)
      : ({ kind: 'no-management' } as const);
    switch (outcome.kind) {
      case 'no-management':
        return send(reply, 409, `server ${session.server} has no management interface configured in vpnscope.yaml`);
      case 'unreachable':
        return send(reply, 503, `the management interface of ${session.server} did not answer: ${outcome.error}`);
      case 'answered':
        if (!outcome.ok) {
          return reply
            .code(502)
            .send({ error: 'Bad Gateway', message: `OpenVPN refused: ${outcome.reply}`, reply: outcome.reply });
        }
        return {
          session: session.id,
          server: session.server,
          command: outcome.command,
          reply: outcome.reply,
        } satisfies KillAnswer;
    }
  });
};

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  503: 'Service Unavailable',
};

function send(reply: FastifyReply, code: number, message: string) {
  return reply.code(code).send({ error: REASONS[code], message });
}

function checkAdmin(request: FastifyRequest, adminToken: string | undefined): { code: number; message: string } | null {
  if (!adminToken) {
    return {
      code: 403,
      message:
        'killing sessions is switched off: set api.adminToken, api.adminTokenFile or api.adminTokenEnv to allow it',
    };
  }
  const presented = bearerToken(request);
  if (presented === null) {
    return { code: 401, message: 'missing bearer token: killing a session needs the admin token (api.adminToken)' };
  }
  if (!tokenMatches(presented, adminToken)) {
    return { code: 403, message: 'killing a session needs the admin token (api.adminToken)' };
  }
  return null;
}

/** "alice (vpnscope kill) from 127.0.0.1"; without the header, the token stands for the person. */
function requester(request: FastifyRequest): string {
  const header = request.headers[ACTOR_HEADER];
  const named = (Array.isArray(header) ? header[0] : header)
    ?.replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, 80);
  return `${named || 'the admin token'} from ${request.ip}`;
}

function liveSession(db: Db, id: number): SessionToKill | undefined {
  return db
    .prepare(
      `SELECT s.id, v.name AS server, s.user, s.common_name AS commonName, s.client_id AS clientId,
              s.real_address AS realAddress
       FROM sessions s JOIN servers v ON v.id = s.server_id
       WHERE s.id = ? AND s.ended_at IS NULL`
    )
    .get(id) as SessionToKill | undefined;
}
