import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Db } from '../store/database';
import type { SourceHealthRegistry } from '../sources/source-health';
import type { VpnscopeMetrics } from '../metrics/create-metrics';
import { requireToken } from './auth';
import { describeValidationErrors } from './schema-errors';
import { healthRoutes } from './routes/health';
import { serverRoutes } from './routes/servers';
import { queryRoutes } from './routes/query';
import { metricsRoutes } from './routes/metrics';
import { exporterCompatRoutes } from './routes/exporter-compat';
import { killRoutes } from './routes/kill';
import type { SessionKiller } from '../sources/openvpn/session-kill';

export interface AppOptions {
  db: Db;
  health: SourceHealthRegistry;
  version: string;
  /** When set, every route requires `Authorization: Bearer <apiToken>`. */
  apiToken?: string;
  logger?: FastifyBaseLogger;
  /** Served on /metrics (and the exporter's /sessions when its compatibility set is on). */
  metrics?: VpnscopeMetrics;
  /** Allows `POST /api/v1/sessions/:id/kill` (and everything apiToken allows); without it, kill answers 403. */
  adminToken?: string;
  /** Sends kills through the management interfaces (ManagementSources in serve). */
  killer?: SessionKiller;
  /** Unix seconds; injectable so tests can pin "now". */
  now?: () => number;
}

/** Builds the HTTP API without opening a port: `serve` listens on it, tests call `inject`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Per-request info lines would drown the log at every Grafana refresh and Prometheus scrape;
    // fastify still logs what goes wrong at warn and above.
    ...(options.logger ? { loggerInstance: options.logger.child({}, { level: 'warn' }) } : { logger: false }),
    ajv: { customOptions: { discriminator: true, allErrors: true } },
    schemaErrorFormatter: describeValidationErrors,
  });
  if (options.apiToken) {
    const accepted = options.adminToken ? [options.apiToken, options.adminToken] : [options.apiToken];
    app.addHook('onRequest', requireToken(accepted, 'api.token'));
  }
  await app.register(healthRoutes, options);
  await app.register(serverRoutes, options);
  await app.register(queryRoutes, options);
  await app.register(killRoutes, options);
  if (options.metrics) {
    await app.register(metricsRoutes, { metrics: options.metrics });
    if (options.metrics.exporterCompat) {
      await app.register(exporterCompatRoutes, { db: options.db });
    }
  }
  return app;
}
