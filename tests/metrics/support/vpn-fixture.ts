import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../backend/src/api/app';
import { createMetrics, type MetricsOptions } from '../../../backend/src/metrics/create-metrics';
import type { ObservedSession } from '../../../backend/src/model';
import { SourceHealthRegistry } from '../../../backend/src/sources/source-health';
import { openDatabase, type Db } from '../../../backend/src/store/database';
import { SessionStore } from '../../../backend/src/store/session-store';
import { SessionTracker } from '../../../backend/src/tracker/session-tracker';
import { makeTempDir } from '../../support/temp-dir';

export const CONNECTED_AT = 1_795_275_400;

/** `count` clients of one server, each with its own client id, test-net addresses and counters. */
export function clients(
  count: number,
  bytes = (index: number) => ({ in: 1000 * (index + 1), out: 3000 * (index + 1) })
) {
  return Array.from({ length: count }, (_, index): ObservedSession => ({
    key: `cid:${index}:${CONNECTED_AT}`,
    user: `user${index}`,
    commonName: `user${index}`,
    realAddress: `198.18.1.${index + 1}:${40000 + index}`,
    virtualIpv4: `198.19.0.${index + 2}`,
    clientId: index,
    connectedSince: CONNECTED_AT,
    bytesIn: bytes(index).in,
    bytesOut: bytes(index).out,
  }));
}

export interface VpnFixture {
  app: FastifyInstance;
  db: Db;
  tracker: SessionTracker;
  health: SourceHealthRegistry;
  close(): Promise<void>;
}

/** A vpnscope app over a real SQLite file, with /metrics built from its tracker and health. */
export async function startVpnFixture(
  options: { apiToken?: string } & Partial<Pick<MetricsOptions, 'perUser' | 'exporterCompat' | 'openvpnVersion'>> = {}
): Promise<VpnFixture> {
  const temp = makeTempDir('vpnscope-metrics-');
  const db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
  const tracker = new SessionTracker(new SessionStore(db));
  const health = new SourceHealthRegistry();
  const metrics = createMetrics({
    tracker,
    health,
    version: '9.9.9',
    perUser: options.perUser ?? false,
    exporterCompat: options.exporterCompat ?? false,
    openvpnVersion: options.openvpnVersion ?? null,
  });
  const app = await buildApp({ db, health, version: '9.9.9', metrics, apiToken: options.apiToken });
  return {
    app,
    db,
    tracker,
    health,
    async close() {
      await app.close();
      if (db.open) {
        db.close();
      }
      temp.cleanup();
    },
  };
}
