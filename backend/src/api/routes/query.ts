import type { FastifyPluginAsync } from 'fastify';
import type { QueryRequest, QueryResponse } from '../../contract';
import { runQueries } from '../../query/run-query';
import { queryRequestSchema } from '../query-schema';
import type { AppOptions } from '../app';

export const queryRoutes: FastifyPluginAsync<AppOptions> = async (app, options) => {
  app.post<{ Body: QueryRequest }>(
    '/api/v1/query',
    { schema: { body: queryRequestSchema } },
    async (request, reply): Promise<QueryResponse | void> => {
      const { range } = request.body;
      if (range.from > range.to) {
        return reply
          .code(400)
          .send({ error: 'Bad Request', message: 'body.range.from must not be after body.range.to' });
      }
      return runQueries(options.db, request.body, options.now?.());
    }
  );
};
