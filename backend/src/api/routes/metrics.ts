import type { FastifyPluginAsync } from 'fastify';
import type { VpnscopeMetrics } from '../../metrics/create-metrics';

/** Prometheus' scrape endpoint; behind the API token like every route (scrape configs send it). */
export const metricsRoutes: FastifyPluginAsync<{ metrics: VpnscopeMetrics }> = async (app, { metrics }) => {
  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
};
