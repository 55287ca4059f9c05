import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Compares digests so neither the token's content nor its length leaks through timing. */
export function tokenMatches(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1].trim() : null;
}

/** A preHandler that answers 401 unless the request carries `Authorization: Bearer <token>` with one of `accepted`. */
export function requireToken(accepted: readonly string[], realm: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = bearerToken(request);
    if (presented === null) {
      return reply.code(401).send({ error: `missing bearer token (${realm})` });
    }
    // every token is compared, so the timing does not tell which one came close
    if (!accepted.map((token) => tokenMatches(presented, token)).includes(true)) {
      return reply.code(401).send({ error: `invalid bearer token (${realm})` });
    }
    return undefined;
  };
}
