/**
 * Issue 7's comparison: the year's per-user and per-server traffic, as vpnscope's /metrics
 * counters sampled every hour, loaded into a real Prometheus (`promtool tsdb create-blocks-from
 * openmetrics`, then `prometheus` on 127.0.0.1), and each vpnscope traffic panel of the bundled
 * dashboards timed in the same run against vpnscope's API and, as its PromQL equivalent, against
 * Prometheus's query_range (see year/promql-equivalents.ts for what is and is not the same).
 *   TS_NODE_PROJECT=backend/tsconfig.json npx ts-node --transpile-only bench/prometheus-compare.ts \
 *     --db /tmp/vpnscope-year.db [--repetitions 10] [--work /tmp/vpnscope-prom]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { openDatabase } from '../backend/src/store/database';
import { HISTORY_END } from './generate-history';
import { integerOption } from './generate-status';
import { DASHBOARDS_DIR, dashboardRequests, requestBody } from './year/dashboard-requests';
import { dashboardRanges } from './year/grafana-interval';
import { writeOpenMetrics } from './year/openmetrics-export';
import { pickUsers } from './year/pick-users';
import { queryRange, startPrometheus, type RangeAnswer } from './year/prometheus-server';
import { promqlFor } from './year/promql-equivalents';
import { ms, summarize, timeRepeated, type Timing } from './year/timing';
import { query, startApi } from './year/vpnscope-api';

interface Options {
  db: string;
  repetitions: number;
  work?: string;
  keep: boolean;
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
/** Above 1: Prometheus answered faster. */
const ratio = (value: number): string => `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}×`;

function directoryBytes(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + fs.statSync(path.join(entry.parentPath, entry.name)).size, 0);
}

function seconds<T>(work: () => T): [T, number] {
  const began = performance.now();
  const result = work();
  return [result, (performance.now() - began) / 1000];
}

async function main(): Promise<void> {
  const options = new Command()
    .description('Time vpnscope traffic panels against the same traffic in a real Prometheus.')
    .requiredOption('--db <file>', 'the database bench/generate-history.ts wrote')
    .option('--repetitions <n>', 'timed runs per query and range', integerOption(1, 1000), 10)
    .option('--work <dir>', 'where the OpenMetrics file and the TSDB go (default: a new temp dir)')
    .option('--keep', 'keep them afterwards', false)
    .parse()
    .opts<Options>();
  const work = options.work ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vpnscope-prom-'));
  fs.mkdirSync(work, { recursive: true });
  const db = openDatabase(options.db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
  console.log(execFileSync('prometheus', ['--version'], { encoding: 'utf8' }).split('\n')[0]);

  const input = path.join(work, 'year.om');
  const tsdb = path.join(work, 'tsdb');
  fs.rmSync(tsdb, { recursive: true, force: true });
  const [exported, exportS] = seconds(() => writeOpenMetrics(db, input, HISTORY_END));
  console.log(
    `OpenMetrics: ${exported.series} series, ${exported.samples} samples (one per hour), ` +
      `${mib(exported.bytes)} MiB, written in ${exportS.toFixed(0)} s`
  );
  // promtool reads the whole input once per block: with its 2 h default that is 4,380 passes
  // for a year, so blocks are as long as promtool allows (2 h × 3^9, 1.5 years).
  const [, promtoolS] = seconds(() =>
    execFileSync('promtool', [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--max-block-duration=13122h',
      '-q',
      input,
      tsdb,
    ])
  );
  console.log(`promtool: blocks in ${promtoolS.toFixed(0)} s, TSDB ${mib(directoryBytes(tsdb))} MiB on disk`);
  if (!options.keep) {
    fs.rmSync(input);
  }

  const prometheus = await startPrometheus(tsdb, work);
  const api = await startApi(db, HISTORY_END);
  const users = pickUsers(db, HISTORY_END);
  const requests = dashboardRequests(DASHBOARDS_DIR, { user: users });
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`
  );
  console.log(
    '| panel | variables | range | vpnscope p50 / p95 (ms) | Prometheus p50 / p95 (ms) | vpnscope ÷ Prometheus (p50) | Prometheus answer |'
  );
  console.log('|---|---|---|---:|---:|---:|---|');
  const differences = new Map<string, string>();
  for (const request of requests) {
    for (const range of dashboardRanges(HISTORY_END)) {
      const equivalent = promqlFor(request, range, HISTORY_END);
      if (!equivalent) {
        continue;
      }
      if (!differences.has(request.what)) {
        differences.set(request.what, `\`${equivalent.query}\` — ${equivalent.differs}`);
      }
      const body = requestBody(request, range);
      const vpnscope = summarize(await timeRepeated(options.repetitions, () => query(api, body)));
      let answer: RangeAnswer = { series: 0, points: 0 };
      const prom = summarize(
        await timeRepeated(options.repetitions, async () => (answer = await queryRange(prometheus, equivalent)))
      );
      const shown = answer.error ? `error: ${answer.error}` : `${answer.series} series, ${answer.points} points`;
      const runs = (timing: Timing) => (timing.runs < options.repetitions ? ` (${timing.runs} runs)` : '');
      console.log(
        `| ${request.what} | ${request.variant} | ${range.label} | ${ms(vpnscope.p50)} / ${ms(vpnscope.p95)}${runs(vpnscope)} | ` +
          `${ms(prom.p50)} / ${ms(prom.p95)}${runs(prom)} | ${ratio(vpnscope.p50 / prom.p50)} | ${shown} |`
      );
    }
  }
  console.log(
    `\nload average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`
  );
  console.log(`Prometheus RSS after the queries: ${prometheus.rssMiB().toFixed(0)} MiB`);
  console.log("\nPromQL used (with the 24 h range's windows):");
  differences.forEach((text, what) => console.log(`- ${what}: ${text}`));
  await api.close();
  await prometheus.stop();
  db.close();
  if (!options.keep) {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main();
