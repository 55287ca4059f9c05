import type { FastifyPluginAsync } from 'fastify';
import type { ServerInfo } from '../../contract';
import { serverSummaries } from '../../store/server-summary';
import type { AppOptions } from '../app';

export const serverRoutes: FastifyPluginAsync<AppOptions> = async (app, options) => {
  app.get('/api/v1/servers', async (): Promise<ServerInfo[]> => serverSummaries(options.db));
};
