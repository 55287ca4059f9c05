/**
 * Serves the seeded vpnscope API for the plugin's live-backend tests, in a Node process of its
 * own (see tests/plugin/live-backend/liveBackend.ts for why). Seeds a fresh SQLite file, listens
 * on 127.0.0.1 with one ephemeral port per LiveBackendName, prints one LiveBackendReady JSON
 * line, and shuts down (removing the database) when its stdin closes or it is told to stop, so
 * it never outlives the test that started it.
 *
 *   TS_NODE_PROJECT=tests/tsconfig.json node -r ts-node/register/transpile-only tests/support/serve-live-backend.ts
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../backend/src/api/app';
import { openDatabase } from '../../backend/src/store/database';
import {
  API_TOKEN,
  BACKEND_VERSION,
  LAST_POLL,
  LIVE_BACKEND_NAMES,
  type LiveBackendName,
  type LiveBackendReady,
} from './live-backend-plan';
import { seedLiveBackend, sourceHealth } from './live-backend-seed';
import { makeTempDir } from './temp-dir';

async function serve(): Promise<void> {
  const temp = makeTempDir('vpnscope-live-backend-');
  const db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
  const apps: FastifyInstance[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) {
      return;
    }
    stopping = true;
    await Promise.allSettled(apps.map((app) => app.close()));
    db.close();
    temp.cleanup();
    process.exit(code);
  };
  process.stdin.on('end', () => void stop(0));
  process.stdin.resume();
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));

  try {
    seedLiveBackend(db);
    const urls = {} as Record<LiveBackendName, string>;
    for (const name of LIVE_BACKEND_NAMES) {
      const app = await buildApp({
        db,
        health: sourceHealth(name, LAST_POLL),
        version: BACKEND_VERSION,
        ...(name === 'token' ? { apiToken: API_TOKEN } : {}),
        // The API answers as if the last poll were now, so the seeded hour is the recent past.
        now: () => LAST_POLL,
      });
      apps.push(app);
      urls[name] = await app.listen({ host: '127.0.0.1', port: 0 });
    }
    const ready: LiveBackendReady = { urls };
    process.stdout.write(`${JSON.stringify(ready)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await stop(1);
  }
}

void serve();
