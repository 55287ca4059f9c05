/**
 * Issue 7's data set: a year of a 2,000-user fleet on 4 servers, written through vpnscope's own
 * tracker, store, rollups and retention into a SQLite file — what a year of `vpnscope serve`
 * leaves behind.
 *   TS_NODE_PROJECT=backend/tsconfig.json npx ts-node --transpile-only bench/generate-history.ts \
 *     --out /tmp/vpnscope-year.db [--users 2000] [--days 365] [--seed 7]
 *
 * Poll cadence: every 10 s for the last --fine-days (default retention.rawDays: the raw tables
 * keep only those days, so they hold exactly what 10 s polls leave), every 60 s back to
 * --minute-days (default retention.minuteDays: the minute rollup has one row per user and minute
 * whether the minute had 1 poll or 6), and every --coarse-poll seconds (default 30 min) before
 * that, where retention has left only hour and day rollups, sessions and events: every hour
 * still has polls, so nearly every user-hour gets its row. What coarse polls change: a session's
 * end is known to within a poll interval; a session that would begin and end between two polls
 * (vpnscope would never see it) is stretched to the next poll, so the sessions table, kept all
 * year, still holds every session; and the bytes a session moves after its last poll are lost
 * (as at any cadence, but more of them), so old hours hold somewhat less traffic. Each UTC day
 * of polls is one transaction (the store's transactions nest as savepoints, retention's hourly
 * steps included) and rollUp() runs every --rollup-every seconds (default an hour of simulated
 * time) rather than every 10 s: both leave the same rows (row counts and byte sums of every table
 * equal to an hourly commit and a rollUp every minute, on 14- and 60-day builds). The build's
 * connection runs with synchronous=OFF (a crash means building again) and a 1 GiB page cache: the
 * user-ordered indexes (sealed rollups, events, sessions) take a page per user at every write,
 * and with better-sqlite3's 16 MB default and a commit per hour most of those pages were read
 * from and written back to the file every hour. A 60-day build of 30-minute polls: 141 s → 65 s.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { integerOption } from './generate-status';
import { configFromDocument } from '../backend/src/config';
import { openDatabase, type Db } from '../backend/src/store/database';
import { SessionStore } from '../backend/src/store/session-store';
import { SessionTracker } from '../backend/src/tracker/session-tracker';
import { simulateYear, type YearSummary } from './history/simulate-year';

/** The page cache of the build's connection (see the header). */
const BUILD_CACHE_MIB = 1024;

/** "Now" for the data set: a Tuesday afternoon in Europe, morning in New York, night in Singapore. */
export const HISTORY_END = Date.UTC(2026, 10, 24, 14, 0, 0) / 1000;

interface Options {
  out: string;
  users: number;
  days: number;
  seed: number;
  fineDays?: number;
  minuteDays?: number;
  coarsePoll: number;
  rollupEvery: number;
  force: boolean;
}

interface TableSize {
  name: string;
  rows: number | null;
  mib: number;
}

/** Rows of every table and the pages each table and index takes (SQLite's dbstat). */
export function tableSizes(db: Db): TableSize[] {
  const tables = new Set(
    (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as Array<{ name: string }>).map(
      (row) => row.name
    )
  );
  const pages = db.prepare(`SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC`).all() as
    Array<{ name: string; bytes: number }>; // prettier-ignore
  return pages.map(({ name, bytes }) => ({
    name,
    rows: tables.has(name) ? (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n : null,
    mib: bytes / 2 ** 20,
  }));
}

export function fileMiB(path: string): number {
  return fs.statSync(path).size / 2 ** 20;
}

function report(
  options: Options & { fineDays: number; minuteDays: number },
  summary: YearSummary,
  db: Db,
  wallS: number,
  cpuS: number
): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const freePages = db.pragma('freelist_count', { simple: true }) as number;
  const { polls, ms, roundMs } = summary;
  const seconds = (value: number) => `${(value / 1000).toFixed(0)} s`;
  console.log(`node ${process.version}; ${options.users} users, ${options.days} days, seed ${options.seed}`);
  console.log(
    `polls per server: ${polls.every10s} every 10 s (${options.fineDays} d, ${seconds(roundMs.every10s)}), ` +
      `${polls.every60s} every 60 s (${options.minuteDays - options.fineDays} d, ${seconds(roundMs.every60s)}), ` +
      `${polls.coarse} every ${options.coarsePoll} s (${seconds(roundMs.coarse)})`
  );
  console.log(
    `sessions: ${summary.sessionsPlanned} planned, ${summary.sessionsStretched} stretched to a poll (shorter than the gap), ` +
      `${summary.sessionsRefused} refused (pool full); ${summary.events} security events, ` +
      `${summary.restarts} restarts, ${summary.outages} outages`
  );
  console.log(`build: ${wallS.toFixed(0)} s wall, ${cpuS.toFixed(0)} s CPU`);
  console.log(
    `  in vpnscope: tracker ${seconds(ms.tracker)}, rollUp ${seconds(ms.rollUp)}, retention ${seconds(ms.retention)}; ` +
      `simulation ${seconds(ms.simulation)}`
  );
  console.log(
    `database: ${fileMiB(options.out).toFixed(0)} MiB (${((freePages * pageSize) / 2 ** 20).toFixed(0)} MiB of it free pages)`
  );
  console.log('| table or index | rows | MiB |');
  console.log('|---|---:|---:|');
  for (const { name, rows, mib } of tableSizes(db)) {
    console.log(`| ${name} | ${rows ?? ''} | ${mib.toFixed(1)} |`);
  }
}

function main(): void {
  const options = new Command()
    .description('Write a year of fleet history into a vpnscope database.')
    .requiredOption('--out <file>', 'the SQLite file to write')
    .option('--users <n>', 'users in the fleet', integerOption(1, 100_000), 2000)
    .option('--days <n>', 'days of history', integerOption(1, 1000), 365)
    .option('--seed <n>', 'random seed', integerOption(0, 2 ** 32 - 1), 7)
    .option('--fine-days <n>', 'last days polled every 10 s (default: retention.rawDays)', integerOption(0, 1000))
    .option(
      '--minute-days <n>',
      'polls every 60 s from this many days back (default: retention.minuteDays)',
      integerOption(0, 1000)
    )
    .option('--coarse-poll <s>', 'seconds between polls before that', integerOption(60, 3600), 1800)
    .option('--rollup-every <s>', 'seconds between rollUp() runs', integerOption(10, 3600), 3600)
    .option('--force', 'replace an existing file', false)
    .parse()
    .opts<Options>();
  if (fs.existsSync(options.out)) {
    if (!options.force) {
      throw new Error(`${options.out} exists; --force replaces it`);
    }
    for (const suffix of ['', '-wal', '-shm']) {
      fs.rmSync(options.out + suffix, { force: true });
    }
  }
  const retention = configFromDocument({}, 'defaults', process.cwd()).retention;
  const fineDays = options.fineDays ?? retention.rawDays;
  const minuteDays = Math.max(options.minuteDays ?? retention.minuteDays, fineDays);
  const db = openDatabase(options.out);
  // For this connection only (neither is stored in the file): see the header.
  db.pragma('synchronous = OFF');
  db.pragma(`cache_size = -${BUILD_CACHE_MIB * 1024}`);
  const tracker = new SessionTracker(new SessionStore(db));
  const began = performance.now();
  const cpu = process.cpuUsage();
  const summary = simulateYear({
    db,
    tracker,
    users: options.users,
    days: options.days,
    seed: options.seed,
    end: HISTORY_END,
    fineDays,
    minuteDays,
    coarsePollSeconds: options.coarsePoll,
    rollupSeconds: options.rollupEvery,
    retention,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const used = process.cpuUsage(cpu);
  console.log(`retention: ${JSON.stringify(retention)}`);
  report(
    { ...options, fineDays, minuteDays },
    summary,
    db,
    (performance.now() - began) / 1000,
    (used.user + used.system) / 1e6
  );
  db.close();
}

if (require.main === module) {
  main();
}
