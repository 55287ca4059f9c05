import type { Db } from './database';
import { prepared } from './prepared';

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

/** The rollup tables by width, coarsest first: the query layer tries them in this order. */
export const trafficRollups = [
  { widthS: DAY, table: 'traffic_day' },
  { widthS: HOUR, table: 'traffic_hour' },
  { widthS: MINUTE, table: 'traffic_minute' },
] as const;

export const capacityRollups = [
  { widthS: DAY, table: 'capacity_day' },
  { widthS: HOUR, table: 'capacity_hour' },
  { widthS: MINUTE, table: 'capacity_minute' },
] as const;

/** A span of seconds [from, to] that some write touched. */
interface Span {
  from: number;
  to: number;
}

/** Merges overlapping spans after widening each to whole buckets of `widthS`. */
function bucketSpans(spans: Span[], widthS: number): Span[] {
  const widened = spans
    .map(({ from, to }) => ({ from: from - (from % widthS) - widthS, to: to - (to % widthS) + widthS }))
    .sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const span of widened) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to) {
      last.to = Math.max(last.to, span.to);
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/**
 * Raw deltas with the server and user of their session. A raw row holds only its session (a poll
 * writes one per live session, and every column or check on it costs: see migration 5); the
 * join is on the session's primary key, and a filter on `ts` still walks the traffic key.
 */
export const RAW_TRAFFIC = `
  SELECT t.ts, s.server_id, s.user, t.bytes_in, t.bytes_out FROM traffic t JOIN sessions s ON s.id = t.session_id`;

const deltaEnd = (width: number) => `((ts - 1) - (ts - 1) % ${width} + ${width})`;

// Hour and day sums are moved by the change of their minutes (old minute rows out, new ones in),
// so a poll costs the rows of the minutes it touched, not a rescan of the hour or day.
const shiftCoarser = (table: string, width: number, sign: '' | '-') => `
  INSERT INTO ${table} (ts, server_id, user, bytes_in, bytes_out)
  SELECT ${deltaEnd(width)}, server_id, user, ${sign}SUM(bytes_in), ${sign}SUM(bytes_out)
  FROM traffic_minute WHERE ts > @from AND ts <= @to GROUP BY 1, 2, 3
  ON CONFLICT (ts, server_id, user) DO UPDATE
  SET bytes_in = bytes_in + excluded.bytes_in, bytes_out = bytes_out + excluded.bytes_out`;

const trafficSteps = [
  shiftCoarser('traffic_hour', HOUR, '-'),
  shiftCoarser('traffic_day', DAY, '-'),
  'DELETE FROM traffic_minute WHERE ts > @from AND ts <= @to',
  `INSERT INTO traffic_minute (ts, server_id, user, bytes_in, bytes_out)
   SELECT ${deltaEnd(MINUTE)}, server_id, user, SUM(bytes_in), SUM(bytes_out)
   FROM (${RAW_TRAFFIC}) WHERE ts > @from AND ts <= @to GROUP BY 1, 2, 3`,
  shiftCoarser('traffic_hour', HOUR, ''),
  shiftCoarser('traffic_day', DAY, ''),
  `DELETE FROM traffic_hour WHERE ts > @from AND ts <= @to + ${DAY} AND bytes_in = 0 AND bytes_out = 0`,
  `DELETE FROM traffic_day WHERE ts > @from AND ts <= @to + ${DAY} AND bytes_in = 0 AND bytes_out = 0`,
];

// A maximum cannot be moved by a difference, so capacity buckets are recomputed from the next finer
// table; there are only a few pools, so a day is 24 hour rows and an hour 60 minute rows per pool.
const capacityStep = (table: string, source: string, width: number, usedColumn: string) => `
  INSERT OR REPLACE INTO ${table} (server_id, pool, ts, max_used, size)
  SELECT server_id, pool, ts - ts % ${width}, MAX(${usedColumn}), MAX(size)
  FROM ${source} WHERE ts >= @from AND ts < @to GROUP BY 1, 2, 3`;

const capacitySteps = [
  { widthS: MINUTE, sql: capacityStep('capacity_minute', 'capacity', MINUTE, 'used') },
  { widthS: HOUR, sql: capacityStep('capacity_hour', 'capacity_minute', HOUR, 'max_used') },
  { widthS: DAY, sql: capacityStep('capacity_day', 'capacity_hour', DAY, 'max_used') },
];

/**
 * Brings the rollup tables up to date with every write since the last call: each write marked the
 * span it touched (a poll its own second, a finished session its whole past), and only those
 * buckets are recomputed. Runs outside the poll's transaction, so a poll pays one row for it.
 * Returns how many marked spans it consumed.
 */
export function rollUp(db: Db): number {
  return db.transaction(() => {
    const marks = prepared(db, 'SELECT id, from_ts AS "from", to_ts AS "to" FROM rollup_dirty').all() as Array<
      Span & { id: number }
    >;
    if (marks.length === 0) {
      return 0;
    }
    for (const span of bucketSpans(marks, MINUTE)) {
      for (const sql of trafficSteps) {
        prepared(db, sql).run(span);
      }
    }
    for (const { widthS, sql } of capacitySteps) {
      for (const span of bucketSpans(marks, widthS)) {
        prepared(db, sql).run(span);
      }
    }
    prepared(db, 'DELETE FROM rollup_dirty WHERE id <= ?').run(Math.max(...marks.map((mark) => mark.id)));
    prepared(
      db,
      `INSERT INTO rollup_state (id, rolled_through) VALUES (1, @to)
       ON CONFLICT (id) DO UPDATE SET rolled_through = MAX(rolled_through, excluded.rolled_through)`
    ).run({ to: Math.max(...marks.map((mark) => mark.to)) });
    return marks.length;
  })();
}

/**
 * The rollups hold every write stamped at or before this second (null: nothing rolled up yet), so
 * a query reads rollups up to it and the raw tables after it.
 */
export function rolledUpThrough(db: Db): number | null {
  const row = prepared(
    db,
    `SELECT MIN(through, COALESCE((SELECT MIN(from_ts) - 1 FROM rollup_dirty), through)) AS at
     FROM (SELECT (SELECT rolled_through FROM rollup_state) AS through)`
  ).get() as { at: number | null };
  return row.at;
}
