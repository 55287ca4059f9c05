import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from './database';
import { keptFrom } from './kept-from';
import { poolsIn } from './pools';
import { prepared } from './prepared';
import { sealRollups, sealedParams, sealedSql } from './sealed';
import { DAY, HOUR, MINUTE, capacityTables, serverTrafficTables, trafficTables } from './series-tables';

/**
 * Raw deltas with the server and user of their session. A raw row holds only its session (a poll
 * writes one per live session, and every column or check on it costs: see migration 5); the
 * join is on the session's primary key, and a filter on `ts` still walks the traffic key.
 */
export const RAW_TRAFFIC = `
  SELECT t.ts, s.server_id, s.user, t.bytes_in, t.bytes_out FROM traffic t JOIN sessions s ON s.id = t.session_id`;

/**
 * Raw rows (traffic or pool samples) one call works through at most, so that rolling up a
 * backfill of months is many short transactions between polls rather than one long one.
 */
const CHUNK_ROWS = 50_000;

/** Raw stamps from..to, both included, that some write touched. */
interface Span {
  from: number;
  to: number;
}

function mergeSpans(spans: Span[]): Span[] {
  const merged: Span[] = [];
  for (const span of [...spans].sort((a, b) => a.from - b.from)) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to + 1) {
      last.to = Math.max(last.to, span.to);
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** Spans widened to whole buckets of `widthS` (one more on each side, which fits either stamp). */
const bucketSpans = (spans: Span[], widthS: number): Span[] =>
  mergeSpans(spans.map(({ from, to }) => ({ from: from - (from % widthS) - widthS, to: to - (to % widthS) + widthS })));

const deltaEnd = (width: number) => `((ts - 1) - (ts - 1) % ${width} + ${width})`;
const rawTraffic = `(${RAW_TRAFFIC})`;

/**
 * The two levels of traffic rollups: per server and user, and per server. A server's minutes are
 * summed from its users' minutes, just recomputed, so they never read raw rows a second time.
 * Per-user rows carry their sealed flag (see sealed.ts).
 */
const levels = [
  { series: trafficTables, key: 'server_id, user', minuteSource: rawTraffic, sealed: true },
  { series: serverTrafficTables, key: 'server_id', minuteSource: 'traffic_minute', sealed: false },
].map((level) => ({
  ...level,
  minute: level.series.rollups[level.series.rollups.length - 1].table,
  coarser: level.series.rollups.slice(0, -1),
}));

type Level = (typeof levels)[number];

/** Adds (or with '-' takes away) the per-bucket sums of `rows` stamped in (@from, @to], per the level's key. */
const addSums = ({ key, sealed }: Level, table: string, width: number, rows: string, sign: '' | '-' = '') => `
  INSERT INTO ${table} (ts, ${key}, bytes_in, bytes_out${sealed ? ', sealed' : ''})
  SELECT ${deltaEnd(width)}, ${key}, ${sign}SUM(bytes_in), ${sign}SUM(bytes_out)
         ${sealed ? `, ${sealedSql(deltaEnd(width), width)}` : ''}
  FROM ${rows} WHERE ts > @from AND ts <= @to GROUP BY 1, ${key}
  ON CONFLICT (ts, ${key}) DO UPDATE
  SET bytes_in = bytes_in + excluded.bytes_in, bytes_out = bytes_out + excluded.bytes_out`;

// Minutes in (@from, @to] are recomputed from raw; the coarser sums are moved by the change
// of their minutes (old minute rows out, new ones in), so a poll costs the rows of the minutes it
// touched, not a rescan of the hour or day.
const recomputeMinutes = [
  ...levels.flatMap((level) =>
    level.coarser.map(({ table, widthS }) => addSums(level, table, widthS, level.minute, '-'))
  ),
  ...levels.flatMap((level) => [
    `DELETE FROM ${level.minute} WHERE ts > @from AND ts <= @to`,
    addSums(level, level.minute, MINUTE, level.minuteSource),
  ]),
  ...levels.flatMap((level) => [
    ...level.coarser.map(({ table, widthS }) => addSums(level, table, widthS, level.minute)),
    ...level.coarser.map(
      ({ table, widthS }) =>
        `DELETE FROM ${table} WHERE ts > @from AND ts < @to + ${widthS} AND bytes_in = 0 AND bytes_out = 0`
    ),
  ]),
];

// Where retention has pruned, the raw rows left are exactly the ones written late (a session
// recorded whole after it ended): they are added to the rollups, which hold everything else, and
// then dropped like the rest of that time. Recomputing from raw there would lose what was pruned.
const absorbLateRows = [
  ...levels.flatMap((level) =>
    level.series.rollups.map(({ table, widthS }) => addSums(level, table, widthS, rawTraffic))
  ),
  'DELETE FROM traffic WHERE ts > @from AND ts <= @to',
];

const rawMinutesSql = `SELECT DISTINCT ${deltaEnd(MINUTE)} AS minuteEnd FROM traffic WHERE ts >= ? AND ts <= ?`;

/** The minutes (as (from, to] runs of minute ends) in which raw deltas stamped in `spans` lie. */
function rawMinuteRuns(db: Db, spans: Span[]): Span[] {
  const ends = new Set<number>();
  for (const { from, to } of spans) {
    for (const row of prepared(db, rawMinutesSql).all(from, to) as Array<{ minuteEnd: number }>) {
      ends.add(row.minuteEnd);
    }
  }
  return mergeSpans([...ends].map((end) => ({ from: end - MINUTE + 1, to: end }))).map(({ from, to }) => ({
    from: from - 1,
    to,
  }));
}

function rollUpTraffic(db: Db, spans: Span[]): void {
  const pruned = keptFrom(db)[trafficTables.raw] ?? -Infinity;
  const sealed = sealedParams(db);
  const recent: Span[] = [];
  for (const { from, to } of mergeSpans(spans)) {
    if (from <= pruned) {
      const span = { from: from - 1, to: Math.min(to, pruned), ...sealed };
      absorbLateRows.forEach((sql) => prepared(db, sql).run(span));
    }
    if (to > pruned) {
      recent.push({ from: Math.max(from, pruned + 1), to });
    }
  }
  // Only minutes with raw rows can change: a late session spread over days touches a few of them,
  // and every other minute of those days keeps its rows untouched.
  for (const minutes of rawMinuteRuns(db, recent)) {
    recomputeMinutes.forEach((sql) => prepared(db, sql).run({ ...minutes, ...sealed }));
  }
}

// A maximum cannot be moved by a difference, so capacity buckets are recomputed from the next finer
// table; there are only a few pools, so a day is 24 hour rows and an hour 60 minute rows per pool.
// Buckets whose finer rows retention has deleted find none and are left as they are. The rollup
// tables are keyed (server_id, pool, ts) with no index on time, so a bucket is sought pool by pool:
// a range on `ts` alone would scan every row the table keeps (a year of hours) at every rollUp.
const capacityStep = (table: string, source: string, width: number, usedColumn: string) => `
  INSERT OR REPLACE INTO ${table} (server_id, pool, ts, max_used, size)
  SELECT server_id, pool, ts - ts % ${width}, MAX(${usedColumn}), MAX(size)
  FROM ${source} WHERE server_id = @serverId AND pool = @pool AND ts >= @from AND ts < @to GROUP BY 3`;

const capacitySteps = [
  { widthS: MINUTE, table: 'capacity_minute', source: capacityTables.raw, used: 'used' },
  { widthS: HOUR, table: 'capacity_hour', source: 'capacity_minute', used: 'max_used' },
  { widthS: DAY, table: 'capacity_day', source: 'capacity_hour', used: 'max_used' },
].map((step) => ({ ...step, sql: capacityStep(step.table, step.source, step.widthS, step.used) }));

function rollUpCapacity(db: Db, spans: Span[]): void {
  for (const { widthS, source, sql } of capacitySteps) {
    const pools = poolsIn(db, source);
    for (const span of bucketSpans(spans, widthS)) {
      pools.forEach((pool) => prepared(db, sql).run({ ...span, ...pool }));
    }
  }
}

/**
 * The last stamp of this call's chunk: about CHUNK_ROWS raw rows from `from` on, ending on a
 * whole minute, and at least the minute of `from` (one minute of 10,000 sessions is 60,000 rows).
 */
function chunkThrough(db: Db, from: number, lastMarked: number): number {
  const beyond = [trafficTables.raw, capacityTables.raw]
    .map(
      (table) =>
        prepared(db, `SELECT ts FROM ${table} WHERE ts >= ? ORDER BY ts LIMIT 1 OFFSET ${CHUNK_ROWS}`).get(from) as
          { ts: number } | undefined
    )
    .filter((row) => row !== undefined)
    .map((row) => row.ts);
  if (beyond.length === 0) {
    return lastMarked;
  }
  const last = Math.min(...beyond) - 1;
  return Math.min(lastMarked, Math.max(Math.ceil(from / MINUTE) * MINUTE, last - (last % MINUTE)));
}

/** Rows written before rollups existed carry no mark; the first rollUp marks all of them, once. */
function markUnrolledHistory(db: Db): void {
  if (prepared(db, 'SELECT 1 FROM rollup_state').get()) {
    return;
  }
  for (const table of [trafficTables.raw, capacityTables.raw]) {
    prepared(
      db,
      `INSERT INTO rollup_dirty (from_ts, to_ts)
       SELECT first, last FROM (SELECT (SELECT MIN(ts) FROM ${table}) AS first, (SELECT MAX(ts) FROM ${table}) AS last)
       WHERE first IS NOT NULL`
    ).run();
  }
}

/**
 * Brings the rollup tables up to date with the writes marked since the last call: each write marked
 * the span it touched (a poll its own second, a finished session its whole past), and only those
 * buckets are recomputed. Runs outside the poll's transaction, so a poll pays one row for it. A
 * call does one bounded chunk, the oldest marks first; it returns true when marked work is left for
 * another call (see rollUpAll).
 */
export function rollUp(db: Db): boolean {
  return db.transaction(() => {
    markUnrolledHistory(db);
    const marked = prepared(
      db,
      'SELECT (SELECT MIN(from_ts) FROM rollup_dirty) AS first, (SELECT MAX(to_ts) FROM rollup_dirty) AS last'
    ).get() as { first: number | null; last: number | null };
    if (marked.first === null || marked.last === null) {
      return false;
    }
    const through = chunkThrough(db, marked.first, marked.last);
    const spans = (
      prepared(db, 'SELECT from_ts AS "from", to_ts AS "to" FROM rollup_dirty WHERE from_ts <= ?').all(
        through
      ) as Span[]
    ).map(({ from, to }) => ({ from, to: Math.min(to, through) }));
    rollUpTraffic(db, spans);
    rollUpCapacity(db, spans);
    prepared(db, 'DELETE FROM rollup_dirty WHERE to_ts <= ?').run(through);
    prepared(db, 'UPDATE rollup_dirty SET from_ts = @next WHERE from_ts < @next').run({ next: through + 1 });
    prepared(
      db,
      `INSERT INTO rollup_state (id, rolled_through) VALUES (1, @through)
       ON CONFLICT (id) DO UPDATE SET rolled_through = MAX(rolled_through, excluded.rolled_through)`
    ).run({ through });
    const moreToSeal = sealRollups(db, through);
    return marked.last > through || moreToSeal;
  })();
}

/** Rolls up everything marked so far, a chunk per transaction, letting polls run in between. */
export async function rollUpAll(db: Db, stopping: () => boolean = () => false): Promise<void> {
  while (rollUp(db) && !stopping()) {
    await nextTurn();
  }
}

/**
 * The rollups hold every write stamped at or before this second (null: nothing rolled up yet), so
 * a query reads rollups up to it and the raw tables after it. Rows written late where retention
 * has already pruned are the exception: they show once rollUp has absorbed them, seconds later.
 */
export function rolledUpThrough(db: Db): number | null {
  const row = prepared(
    db,
    'SELECT (SELECT rolled_through FROM rollup_state) AS through, (SELECT MIN(from_ts) FROM rollup_dirty) AS pending'
  ).get() as { through: number | null; pending: number | null };
  if (row.through === null || row.pending === null) {
    return row.through;
  }
  const pruned = keptFrom(db)[trafficTables.raw] ?? -Infinity;
  return Math.min(row.through, Math.max(row.pending - 1, pruned));
}
