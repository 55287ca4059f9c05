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

/** A preHandler that answers 401 unless the request carries `Authorization: Bearer <token>`. */
export function requireToken(expected: string, realm: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = bearerToken(request);
    if (presented === null) {
      return reply.code(401).send({ error: `missing bearer token (${realm})` });
    }
    if (!tokenMatches(presented, expected)) {
      return reply.code(401).send({ error: `invalid bearer token (${realm})` });
    }
    return undefined;
  };
}
