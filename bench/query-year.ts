/**
 * Issue 7's query benchmark: every request the bundled dashboards make of vpnscope, for the last
 * 24 h, 7 d, 30 d and 365 d of the year bench/generate-history.ts wrote, POSTed over HTTP to the
 * real API (buildApp on 127.0.0.1) with the interval and maxDataPoints Grafana sends for a
 * 1,500-pixel panel; p50/p95 of N runs each (after one warm-up). Requests over the target are
 * run once more with every SQL statement timed and its EXPLAIN QUERY PLAN printed. Then the
 * ingest cost of 10,000 live sessions on top of the year (see year/ingest.ts).
 *   TS_NODE_PROJECT=backend/tsconfig.json npx ts-node --transpile-only bench/query-year.ts \
 *     --db /tmp/vpnscope-year.db [--repetitions 20] [--skip-ingest] [--only 'VPN user: Per (day|week)']
 */
import os from 'node:os';
import { Command } from 'commander';
import { integerOption } from './generate-status';
import { configFromDocument } from '../backend/src/config';
import { openDatabase, type Db } from '../backend/src/store/database';
import { fileMiB, HISTORY_END, tableSizes } from './generate-history';
import { dashboardRanges, type DashboardRange } from './year/grafana-interval';
import { DASHBOARDS_DIR, dashboardRequests, requestBody, type DashboardRequest } from './year/dashboard-requests';
import { pickUsers } from './year/pick-users';
import { measureIngest, type IngestResult } from './year/ingest';
import { explain, oneLine, traceStatements } from './year/statement-trace';
import { ms, summarize, timeRepeated, type Timing } from './year/timing';
import { query, startApi, type Answer, type ApiServer } from './year/vpnscope-api';

/** Issue 7: every dashboard query p95 ≤ 100 ms over the year. */
const TARGET_MS = 100;
/** The overview's panels are also run for one server, as a server filter would ask. */
const ONE_SERVER = 'vpn-ams';

interface Options {
  db: string;
  repetitions: number;
  skipIngest: boolean;
  ingestSessions: number;
  ingestRounds: number;
  only?: RegExp;
}

interface Measured {
  request: DashboardRequest;
  range: DashboardRange;
  timing: Timing;
  answer: Answer;
}

function withOneServer(requests: DashboardRequest[]): DashboardRequest[] {
  return requests
    .filter((request) => request.dashboard === 'VPN overview' && request.kind === 'panel')
    .map((request) => ({
      ...request,
      variant: `server = ${ONE_SERVER}`,
      queries: request.queries.map((q) => ({ ...q, server: ONE_SERVER })),
    }));
}

async function measureAll(api: ApiServer, requests: DashboardRequest[], repetitions: number): Promise<Measured[]> {
  const measured: Measured[] = [];
  for (const request of requests) {
    for (const range of dashboardRanges(HISTORY_END)) {
      const body = requestBody(request, range);
      const answer = await query(api, body);
      const timing = summarize(await timeRepeated(repetitions, () => query(api, body)));
      measured.push({ request, range, timing, answer });
      process.stderr.write(
        `${request.dashboard} · ${request.what} ${request.variant} · ${range.label}: p95 ${ms(timing.p95)} ms\n`
      );
    }
  }
  return measured;
}

function printTable(measured: Measured[], repetitions: number): void {
  const ranges = dashboardRanges(HISTORY_END).map((range) => range.label);
  console.log(`| dashboard | request | variables | ${ranges.map((r) => `${r} p50 / p95 (ms)`).join(' | ')} |`);
  console.log(`|---|---|---|${ranges.map(() => '---:').join('|')}|`);
  const rows = new Map<DashboardRequest, Measured[]>();
  measured.forEach((m) => rows.set(m.request, [...(rows.get(m.request) ?? []), m]));
  for (const [request, cells] of rows) {
    const shown = cells.map(({ timing }) => {
      const p95 = timing.p95 > TARGET_MS ? `**${ms(timing.p95)}**` : ms(timing.p95);
      return `${ms(timing.p50)} / ${p95}${timing.runs < repetitions ? ` (${timing.runs} runs)` : ''}`;
    });
    console.log(`| ${request.dashboard} | ${request.what} | ${request.variant} | ${shown.join(' | ')} |`);
  }
  const failed = measured.filter((m) => m.answer.errors.length > 0);
  for (const { request, range, answer } of failed) {
    console.log(`\nERROR ${request.what} ${request.variant} ${range.label}: ${answer.errors.join('; ')}`);
  }
}

async function diagnose(db: Db, api: ApiServer, slow: Measured[]): Promise<void> {
  for (const { request, range, timing, answer } of slow) {
    const body = requestBody(request, range);
    console.log(`\n### ${request.dashboard} · ${request.what} ${request.variant} · ${range.label}`);
    console.log(
      `p95 ${ms(timing.p95)} ms; answer: ${answer.frames} frames, ${answer.rows} rows, ${answer.bytes} bytes`
    );
    console.log(`request: ${JSON.stringify({ ...body, range: undefined })}`);
    const statements = await traceStatements(db, () => query(api, body));
    for (const statement of statements.filter((s) => s.ms >= 5).slice(0, 3)) {
      console.log(`\n${ms(statement.ms)} ms: ${oneLine(statement.sql)}`);
      console.log(`params: ${JSON.stringify(statement.params)}`);
      console.log('```');
      explain(db, statement).forEach((line) => console.log(line));
      console.log('```');
    }
  }
}

function printIngest(result: IngestResult): void {
  const { pollMs, rollUpMs, roundMs, retention } = result;
  console.log(
    `\nIngest: ${result.sessions} live sessions on ${result.servers} servers, ${result.rounds} rounds of 10 s`
  );
  console.log('| CPU per 10 s | p50 (ms) | p95 (ms) |');
  console.log('|---|---:|---:|');
  console.log(`| ${result.servers} status-file polls | ${ms(pollMs.p50)} | ${ms(pollMs.p95)} |`);
  console.log(`| rollUp | ${ms(rollUpMs.p50)} | ${ms(rollUpMs.p95)} |`);
  console.log(`| round (mean ${ms(roundMs.mean)}) | ${ms(roundMs.p50)} | ${ms(roundMs.p95)} |`);
  console.log(
    `retention pass: ${ms(retention.ms)} ms CPU for ${retention.rows} rows; scaled to ${result.sessions} sessions: ` +
      `${ms(retention.scaledMsPerHour)} ms per hour`
  );
  console.log(`share of one core: ${(result.shareOfCore * 100).toFixed(1)} % (target ≤ 20 %)`);
}

async function main(): Promise<void> {
  const options = new Command()
    .description('Time every dashboard request over a year of history, and ingest on top of it.')
    .requiredOption('--db <file>', 'the database bench/generate-history.ts wrote')
    .option('--repetitions <n>', 'timed runs per request and range', integerOption(1, 1000), 20)
    .option('--skip-ingest', 'only the queries', false)
    .option('--ingest-sessions <n>', 'live sessions for the ingest measure', integerOption(1, 200_000), 10_000)
    .option('--ingest-rounds <n>', '10 s rounds for the ingest measure', integerOption(2, 10_000), 30)
    .option(
      '--only <pattern>',
      'only requests whose "dashboard: request" matches this regular expression',
      (p) => new RegExp(p, 'i')
    )
    .parse()
    .opts<Options>();
  const db = openDatabase(options.db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const users = pickUsers(db, HISTORY_END);
  const requests = dashboardRequests(DASHBOARDS_DIR, { user: users });
  const all = [...requests, ...withOneServer(requests)].filter(
    (request) => !options.only || options.only.test(`${request.dashboard}: ${request.what}`)
  );
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`
  );
  console.log(`database: ${fileMiB(options.db).toFixed(0)} MiB; ${options.repetitions} timed runs per cell`);
  console.log('| table or index | rows | MiB |\n|---|---:|---:|');
  tableSizes(db).forEach(({ name, rows, mib }) => console.log(`| ${name} | ${rows ?? ''} | ${mib.toFixed(1)} |`));
  console.log();

  const api = await startApi(db, HISTORY_END);
  const measured = await measureAll(api, all, options.repetitions);
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`
  );
  printTable(measured, options.repetitions);
  const slow = measured.filter((m) => m.timing.p95 > TARGET_MS);
  console.log(`\n${slow.length} of ${measured.length} cells over ${TARGET_MS} ms at p95`);
  await diagnose(db, api, slow);
  await api.close();
  db.close();

  if (!options.skipIngest) {
    const retention = configFromDocument({}, 'defaults', process.cwd()).retention;
    printIngest(
      await measureIngest(options.db, HISTORY_END, {
        sessions: options.ingestSessions,
        rounds: options.ingestRounds,
        retention,
      })
    );
  }
}

void main();
