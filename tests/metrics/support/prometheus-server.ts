import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { makeTempDir } from '../../support/temp-dir';
import { freePort } from '../../support/free-port';

const REPO = path.resolve(__dirname, '../../..');
export const PROVISIONED_PROMETHEUS = path.join(REPO, 'provisioning/prometheus');

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusServer {
  url: string;
  /** An instant query at the current time; throws on a Prometheus error. */
  query(expr: string): Promise<PromSample[]>;
  /** Asks `query(expr)` until `done` holds for the answer (Prometheus scrapes every second). */
  waitFor(expr: string, done: (samples: PromSample[]) => boolean, what: string): Promise<PromSample[]>;
  get(apiPath: string): Promise<unknown>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The stack's prometheus.yml (provisioning/prometheus) with what differs on a test machine:
 * the loopback target, a token file, the rule file by absolute path, and one-second intervals.
 */
function testConfig(target: string, tokenFile: string): string {
  const config = parse(fs.readFileSync(path.join(PROVISIONED_PROMETHEUS, 'prometheus.yml'), 'utf8'));
  config.global = { ...config.global, scrape_interval: '1s', evaluation_interval: '1s' };
  config.rule_files = (config.rule_files as string[]).map((file) => path.join(PROVISIONED_PROMETHEUS, file));
  const [job] = config.scrape_configs;
  job.authorization.credentials_file = tokenFile;
  job.static_configs = [{ targets: [target] }];
  return stringify(config);
}

/** Debian's `prometheus` on a free loopback port with a throwaway TSDB, scraping `target`. */
export async function startPrometheus(target: string, token: string): Promise<PrometheusServer> {
  const temp = makeTempDir('vpnscope-prometheus-');
  const tokenFile = path.join(temp.dir, 'token');
  fs.writeFileSync(tokenFile, token, { mode: 0o600 });
  const configFile = path.join(temp.dir, 'prometheus.yml');
  fs.writeFileSync(configFile, testConfig(target, tokenFile));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(temp.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const get = async (apiPath: string): Promise<unknown> => {
    const response = await fetch(`${url}${apiPath}`);
    const body = (await response.json()) as { status: string; data: unknown; error?: string };
    if (body.status !== 'success') {
      throw new Error(`Prometheus ${apiPath}: ${body.error}`);
    }
    return body.data;
  };
  const query = async (expr: string): Promise<PromSample[]> => {
    const data = (await get(`/api/v1/query?query=${encodeURIComponent(expr)}`)) as { result: PromSample[] };
    return data.result;
  };

  const server: PrometheusServer = {
    url,
    query,
    get,
    async waitFor(expr, done, what) {
      let last: PromSample[] | string = 'no answer yet';
      for (let attempt = 0; attempt < 240; attempt++) {
        try {
          last = await query(expr);
          if (done(last)) {
            return last;
          }
        } catch (error) {
          last = (error as Error).message;
        }
        await sleep(250);
      }
      throw new Error(`waited a minute for ${what}; ${expr} gave ${JSON.stringify(last)}; Prometheus said: ${output}`);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      temp.cleanup();
    },
  };

  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) {
      temp.cleanup();
      throw new Error(`prometheus exited with ${child.exitCode}: ${output}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) {
        return server;
      }
    } catch {
      // not listening yet
    }
    if (attempt > 240) {
      await server.stop();
      throw new Error(`prometheus did not become ready: ${output}`);
    }
    await sleep(250);
  }
}
