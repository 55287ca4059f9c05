import type { FastifyPluginAsync } from 'fastify';
import type { HealthResponse, SourceHealth } from '../../contract';
import type { AppOptions } from '../app';

export const healthRoutes: FastifyPluginAsync<AppOptions> = async (app, options) => {
  app.get('/api/v1/health', async (): Promise<HealthResponse> => {
    const sources = options.health.all();
    return { status: overallStatus(sources), version: options.version, sources };
  });
};

function overallStatus(sources: SourceHealth[]): HealthResponse['status'] {
  if (sources.length === 0) {
    return 'no_sources';
  }
  const up = sources.filter((source) => source.up).length;
  return up === sources.length ? 'ok' : up === 0 ? 'down' : 'degraded';
}
