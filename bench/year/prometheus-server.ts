/**
 * A real Prometheus (the Debian package's binary) over a TSDB directory, on 127.0.0.1, and
 * query_range calls against it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PrometheusServer {
  url: string;
  /** Resident memory of the process now, in MiB. */
  rssMiB(): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPrometheus(tsdb: string, workDir: string): Promise<PrometheusServer> {
  const port = await freePort();
  const config = path.join(workDir, 'prometheus.yml');
  // Nothing to scrape: the TSDB already holds the year. The scrape interval is what the blocks were sampled at.
  fs.writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
  const log = fs.openSync(path.join(workDir, 'prometheus.log'), 'w');
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${tsdb}`,
      '--storage.tsdb.retention.time=10y',
      `--web.listen-address=127.0.0.1:${port}`,
      // a year of every user's counters in one query is more than the default 50 M samples
      '--query.max-samples=500000000',
    ],
    { stdio: ['ignore', log, log] }
  );
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) {
      throw new Error(`prometheus exited (${child.exitCode}); see ${path.join(workDir, 'prometheus.log')}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (attempt > 600) {
      throw new Error('prometheus was not ready after 60 s');
    }
    await sleep(100);
  }
  return {
    url,
    rssMiB: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.closeSync(log);
    },
  };
}

export interface RangeQuery {
  query: string;
  /** Unix seconds. */
  start: number;
  end: number;
  stepS: number;
}

export interface RangeAnswer {
  series: number;
  points: number;
  error?: string;
}

/** GET /api/v1/query_range, as Grafana's Prometheus data source sends it; the body is read and parsed. */
export async function queryRange(server: PrometheusServer, range: RangeQuery): Promise<RangeAnswer> {
  const params = new URLSearchParams({
    query: range.query,
    start: String(range.start),
    end: String(range.end),
    step: String(range.stepS),
  });
  const response = await fetch(`${server.url}/api/v1/query_range?${params.toString()}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { result: Array<{ values: unknown[] }> };
  };
  if (body.status !== 'success' || !body.data) {
    return { series: 0, points: 0, error: body.error ?? `HTTP ${response.status}` };
  }
  const result = body.data.result;
  return { series: result.length, points: result.reduce((sum, series) => sum + series.values.length, 0) };
}
