import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RetentionConfig } from '../config';
import type { Db } from './database';
import { keptFrom, saveKeptFrom } from './kept-from';
import { prepared } from './prepared';
import { rolledUpThrough } from './rollups';
import {
  DAY,
  HOUR,
  MINUTE,
  capacityTables,
  olderThanFrom,
  serverTrafficTables,
  trafficTables,
  type SeriesTables,
} from './series-tables';
import { shrinkSteps } from './vacuum';

/** Rows one transaction deletes at most (but see deleteRawTraffic): a poll behind it waits a few ms. */
const BATCH_ROWS = 5_000;

export interface RetentionResult {
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  /** Pages the file gave back to the file system. */
  freedPages: number;
}

const floorTo = (t: number, widthS: number): number => Math.floor(t / widthS) * widthS;

/**
 * Raw traffic goes in whole minutes, each minute's deletion and the table's new `kept from` in one
 * transaction, so a raw minute is either whole or gone and rollUp can tell late rows (stamped at or
 * before `kept from`) from absorbed ones. A batch is as many whole minutes as fit in BATCH_ROWS, or
 * one minute when a minute holds more (10,000 live sessions: 60,000 rows). Only rolled-up rows go,
 * and the limit is read again for every batch: a late write may have marked older time meanwhile.
 */
function* deleteRawTraffic(db: Db, retention: RetentionConfig, now: number, result: RetentionResult) {
  const table = trafficTables.raw;
  for (;;) {
    const through = rolledUpThrough(db);
    const after = keptFrom(db)[table] ?? -1;
    const limit = through === null ? null : floorTo(Math.min(now - retention.rawDays * DAY, through), MINUTE);
    if (limit === null || limit <= after) {
      return;
    }
    const first = prepared(db, `SELECT MIN(ts) AS ts FROM ${table} WHERE ts > ?`).get(after) as { ts: number | null };
    const beyond = prepared(db, `SELECT ts FROM ${table} WHERE ts > ? ORDER BY ts LIMIT 1 OFFSET ${BATCH_ROWS}`).get(
      after
    ) as { ts: number } | undefined;
    const firstMinute = first.ts === null ? limit : Math.ceil(first.ts / MINUTE) * MINUTE;
    const until = Math.min(limit, beyond ? Math.max(floorTo(beyond.ts - 1, MINUTE), firstMinute) : limit);
    db.transaction(() => {
      result.deleted[table] += prepared(db, `DELETE FROM ${table} WHERE ts > ? AND ts <= ?`).run(after, until).changes;
      saveKeptFrom(db, table, until, now);
    })();
    yield;
  }
}

/** Deletes the rows matching `older` (with `@from` bound), BATCH_ROWS per transaction; `key`: primary key columns. */
function* deleteInBatches(db: Db, table: string, key: string, older: string, from: number, result: RetentionResult) {
  const sql = `DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE ${older} LIMIT ${BATCH_ROWS})`;
  for (;;) {
    const changes = prepared(db, sql).run({ from }).changes;
    result.deleted[table] += changes;
    if (changes < BATCH_ROWS) {
      return;
    }
    yield;
  }
}

/** How long a rollup keeps its rows; week and four-week rows live as long as day rows (they only sum them). */
function keptDays(widthS: number, retention: RetentionConfig): number {
  switch (widthS) {
    case MINUTE:
      return retention.minuteDays;
    case HOUR:
      return retention.hourDays;
    default:
      return retention.dayDays;
  }
}

/** Minute rows go in whole hours, hour and day rows in whole days, coarser rows in their own buckets. */
const cutUnit = (widthS: number): number => (widthS === MINUTE ? HOUR : Math.max(widthS, DAY));

/**
 * A table is cut at whole buckets of the next coarser one, so a rollup bucket is never recomputed
 * from part of its rows, and never before the finer table's cut: the coarser table must still hold
 * what the finer one no longer does (and rollUp needs the minutes of every raw row it recomputes).
 * Its `kept from` is saved first: a query then never reads a partly deleted bucket.
 */
function* deleteRollups(
  db: Db,
  series: SeriesTables,
  retention: RetentionConfig,
  now: number,
  result: RetentionResult
) {
  let finerFrom = keptFrom(db)[series.raw];
  if (finerFrom === undefined) {
    return;
  }
  for (const { widthS, table } of [...series.rollups].reverse()) {
    const unit = cutUnit(widthS);
    const from = Math.min(floorTo(now - keptDays(widthS, retention) * DAY, unit), floorTo(finerFrom, unit));
    saveKeptFrom(db, table, from, now);
    yield* deleteInBatches(db, table, series.key, olderThanFrom(series), from, result);
    finerFrom = from;
  }
}

function* deleteRawCapacity(db: Db, retention: RetentionConfig, now: number, result: RetentionResult) {
  const through = rolledUpThrough(db);
  if (through === null) {
    return;
  }
  const from = floorTo(Math.min(now - retention.rawDays * DAY, through), MINUTE);
  saveKeptFrom(db, capacityTables.raw, from, now);
  yield* deleteInBatches(db, capacityTables.raw, capacityTables.key, olderThanFrom(capacityTables), from, result);
}

/**
 * Ended sessions past retention, once their raw traffic is gone (a raw row names its session). A
 * session's deltas lie within its life, or a poll after its recorded end; a day's margin on the
 * oldest raw delta covers that without looking the session up in a table keyed by time.
 */
function* deleteSessions(db: Db, retention: RetentionConfig, now: number, result: RetentionResult) {
  const oldest = prepared(db, 'SELECT MIN(ts) AS ts FROM traffic').get() as { ts: number | null };
  const from = Math.min(now - retention.sessionsDays * DAY, (oldest.ts ?? Infinity) - DAY);
  yield* deleteInBatches(db, 'sessions', 'id', 'started_at < @from AND ended_at < @from', from, result);
}

function* retentionSteps(db: Db, retention: RetentionConfig, now: number, result: RetentionResult) {
  yield* deleteRawTraffic(db, retention, now, result);
  yield* deleteRawCapacity(db, retention, now, result);
  yield* deleteRollups(db, trafficTables, retention, now, result);
  yield* deleteRollups(db, serverTrafficTables, retention, now, result);
  yield* deleteRollups(db, capacityTables, retention, now, result);
  yield* deleteInBatches(db, 'events', 'id', 'ts < @from', now - retention.eventsDays * DAY, result);
  yield* deleteSessions(db, retention, now, result);
  for (const pages of shrinkSteps(db)) {
    result.freedPages += pages;
    yield;
  }
}

const emptyResult = (): RetentionResult => ({
  deleted: Object.fromEntries(
    [trafficTables, serverTrafficTables, capacityTables]
      .flatMap((series) => [series.raw, ...series.rollups.map((rollup) => rollup.table)])
      .concat('events', 'sessions')
      .map((table) => [table, 0])
  ),
  freedPages: 0,
});

/**
 * Deletes what is past retention, then shrinks the file, in transactions of a few thousand rows
 * run back to back: for tests, benchmarks and one-off runs. Raw rows go only once rolled up.
 */
export function applyRetention(db: Db, retention: RetentionConfig, now: number): RetentionResult {
  const result = emptyResult();
  const steps = retentionSteps(db, retention, now, result);
  while (!steps.next().done) {
    // each step is one committed transaction
  }
  return result;
}

/**
 * The same as applyRetention, yielding to the event loop between transactions so that polls and
 * API requests run in between; stops early (between transactions) once `stopping()` says so.
 */
export async function applyRetentionInBatches(
  db: Db,
  retention: RetentionConfig,
  now: number,
  stopping: () => boolean = () => false
): Promise<RetentionResult> {
  const result = emptyResult();
  const steps = retentionSteps(db, retention, now, result);
  while (!stopping() && !steps.next().done) {
    await nextTurn();
  }
  return result;
}
