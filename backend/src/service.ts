import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { readSecret, type VpnscopeConfig } from './config';
import { buildApp } from './api/app';
import { openDatabase, type Db } from './store/database';
import { SessionStore } from './store/session-store';
import { applyRetentionInBatches } from './store/retention';
import { rollUpAll } from './store/rollups';
import { shrinksAfterDeletes } from './store/vacuum';
import { SessionTracker } from './tracker/session-tracker';
import { SourceHealthRegistry } from './sources/source-health';
import { PollLoop } from './sources/poll-loop';
import { StatusFileSource } from './sources/openvpn/status-file-source';
import { ManagementSources } from './sources/openvpn/management-sources';
import { configuredPoolSize } from './sources/openvpn/configured-pool';
import { installedOpenVpnVersion } from './sources/openvpn/discovery';
import { pptpdPoolSize } from './sources/pptpd/pptpd-pool';
import { PptpdSource, PptpdSourceLoop } from './sources/pptpd/pptpd-source';
import { createMetrics } from './metrics/create-metrics';

export interface Service {
  app: FastifyInstance;
  db: Db;
  tracker: SessionTracker;
  health: SourceHealthRegistry;
  /** The address the API listens on, e.g. http://127.0.0.1:9234 */
  url: string;
  stop(): Promise<void>;
}

const RETENTION_EVERY_MS = 3_600_000;
// Rollups catch up apart from the polls, so a poll's transaction stays as small as it was.
// Retention runs in the same loop, after them: it deletes only what they have absorbed.
const ROLLUP_EVERY_MS = 10_000;

/** `vpnscope serve`: opens the store, starts every configured source, and serves the API. */
export async function startService(config: VpnscopeConfig, log: Logger, version: string): Promise<Service> {
  const db = openDatabase(config.database);
  if (!shrinksAfterDeletes(db)) {
    log.warn(
      { database: config.database },
      'this database was created without incremental auto-vacuum, so its file keeps its size when retention ' +
        'deletes rows (the space is reused); to convert it once, stop vpnscope and run: ' +
        `sqlite3 '${config.database}' 'PRAGMA auto_vacuum = INCREMENTAL; VACUUM;'`
    );
  }
  const tracker = new SessionTracker(new SessionStore(db));
  const health = new SourceHealthRegistry();
  const openvpnVersion = installedOpenVpnVersion();
  const metrics = createMetrics({
    tracker,
    health,
    version,
    perUser: config.metrics.perUser,
    exporterCompat: config.metrics.exporterCompat,
    openvpnVersion: config.servers.find((server) => server.openvpnVersion)?.openvpnVersion ?? openvpnVersion,
  });
  const loops: PollLoop[] = [];
  // before registerServer, which resets pool sizes to the configured ones (see ManagementSources)
  const management = new ManagementSources({ db, tracker, health, log, pollInterval: config.pollInterval });
  const onUnexpectedError = (error: unknown) => log.error({ err: error }, 'a poll failed unexpectedly');

  for (const server of config.servers) {
    const pool = server.kind === 'pptpd' ? pptpdPoolSize(server) : configuredPoolSize(server, openvpnVersion);
    tracker.registerServer(server.name, server.kind, pool);
    log.info({ server: server.name, poolSize: pool.size, poolSizeSource: pool.source }, 'watching server');
    if (server.management) {
      management.add(server.name, server.management); // the live source wins; statusFile then serves `vpnscope status`
    } else if (server.kind === 'openvpn' && server.statusFile) {
      const source = new StatusFileSource({
        server: server.name,
        path: server.statusFile,
        tracker,
        health,
        log,
        staleAfterSeconds: Math.max(180, 3 * config.pollInterval),
      });
      loops.push(new PollLoop(config.pollInterval * 1000, () => source.poll(), onUnexpectedError));
    } else if (server.kind === 'pptpd' && server.syslog) {
      const source = new PptpdSource({ server: server.name, syslog: server.syslog, db, tracker, health, log });
      loops.push(new PptpdSourceLoop(source, config.pollInterval * 1000, onUnexpectedError));
    }
  }

  let stopping = false;
  let retentionDueAt = 0;
  const upkeep = new PollLoop(
    ROLLUP_EVERY_MS,
    async () => {
      await rollUpAll(db, () => stopping);
      if (Date.now() >= retentionDueAt && !stopping) {
        retentionDueAt = Date.now() + RETENTION_EVERY_MS;
        const now = Math.floor(Date.now() / 1000);
        const { deleted, freedPages } = await applyRetentionInBatches(db, config.retention, now, () => stopping);
        log.debug({ deleted, freedPages }, 'retention applied');
      }
    },
    onUnexpectedError
  );

  const app = await buildApp({
    db,
    health,
    version,
    logger: log,
    metrics,
    apiToken: readSecret(config.api.token, config.api.tokenFile, config.api.tokenEnv),
    adminToken: readSecret(config.api.adminToken, config.api.adminTokenFile, config.api.adminTokenEnv),
    killer: management,
  });
  const url = await app.listen({ host: config.listen.host, port: config.listen.port });
  log.info({ url, database: config.database, servers: config.servers.length }, 'vpnscope is serving');
  loops.forEach((loop) => loop.start());
  management.start();
  upkeep.start();

  return {
    app,
    db,
    tracker,
    health,
    url,
    async stop() {
      stopping = true;
      await Promise.all([...loops, upkeep, management].map((loop) => loop.stop()));
      await app.close();
      db.close();
    },
  };
}
