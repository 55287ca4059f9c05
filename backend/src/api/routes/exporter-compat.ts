import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../store/database';
import { exporterSessions, type ExporterSession } from '../../metrics/exporter-sessions';

/** The Go OpenVPN exporter's `/sessions` JSON, for tools written against it (metrics.exporterCompat). */
export const exporterCompatRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get('/sessions', async (): Promise<ExporterSession[]> => exporterSessions(db));
};
