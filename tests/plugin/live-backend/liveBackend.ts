import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { type Dashboard, type DashboardSetup, openDashboard } from './dashboard';
import net from 'node:net';
import path from 'node:path';
import type { LiveBackendReady } from '../../support/live-backend-plan';

/*
 * The backend runs as a child process, not inside this Jest worker. It would load in the jsdom
 * worker today (fastify listens there), but only by luck: jsdom hides Node globals (setImmediate
 * and fetch are undefined here), resolves packages with the `browser` export condition, and the
 * backend would be compiled by the plugin's swc transform inside Jest's module sandbox, so any
 * backend change that touches one of those breaks these tests without breaking the product. In
 * a `node` process of its own the backend runs as `vpnscope serve` runs it, and the plugin can
 * reach it only the way Grafana's proxy does: real HTTP on loopback.
 */

const repo = path.resolve(__dirname, '../../..');
const launcher = path.join(repo, 'tests/support/serve-live-backend.ts');
/** Loading the backend through ts-node takes a few seconds on a busy two-core machine. */
export const START_TIMEOUT_MS = 60_000;

export interface LiveBackend extends LiveBackendReady {
  /** Closes stdin, on which the backend stops and removes its database. */
  stop(): Promise<void>;
}

/** Starts the seeded backend (tests/support/serve-live-backend.ts) and waits until it listens. */
export function startLiveBackend(): Promise<LiveBackend> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', launcher], {
    cwd: repo,
    // status-v1 writes local times: the seeded connects land where the tests expect them only in UTC
    env: { ...process.env, TZ: 'UTC', TS_NODE_PROJECT: path.join(repo, 'tests/tsconfig.json') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (why: string) => {
      child.kill();
      reject(new Error(`the live backend did not start: ${why}\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => fail(error.message));
    child.on('exit', (code) => fail(`it exited with code ${code}`));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) {
        return;
      }
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const ready = JSON.parse(stdout.slice(0, newline)) as LiveBackendReady;
      resolve({ ...ready, stop: () => stopped(child) });
    });
  });
}

function stopped(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    child.stdin.end();
  });
}

/** A loopback port nothing listens on: one the OS just handed out and that was closed again. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface LiveDashboard {
  backend: LiveBackend;
  dashboard: Dashboard;
}

/**
 * The setup of a live-backend test file: one backend started before its tests and stopped after,
 * and a fresh dashboard on its open (token-less) app before each test.
 */
export function useLiveDashboard(setup: Omit<DashboardSetup, 'backendUrl'> = {}): LiveDashboard {
  const live = {} as LiveDashboard;
  beforeAll(async () => {
    live.backend = await startLiveBackend();
  }, START_TIMEOUT_MS);
  afterAll(() => live.backend?.stop());
  beforeEach(() => {
    live.dashboard = openDashboard({ ...setup, backendUrl: live.backend.urls.open });
  });
  return live;
}
