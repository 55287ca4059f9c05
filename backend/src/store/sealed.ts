import type { Db } from './database';
import { prepared } from './prepared';
import { MINUTE, trafficTables } from './series-tables';

/**
 * Sealed per-user rollup rows: those stamped up to `sealedThrough` (floored to each table's
 * buckets), which the (user, ts) indexes hold (see migration 7). A row is sealed once it has
 * stopped changing, a few minutes after its time: while a minute fills, every poll rewrites its
 * rows and the hour, day and week rows above them, and in a user-ordered index each of those
 * writes dirties a page per user. rollUp writes the flag with every row (a late write into sealed
 * time stays sealed) and seals the rows that have aged every SEAL_EVERY_S.
 */

/** How far behind the rollups sealing may fall: queries read up to this much per table by time. */
const SEAL_EVERY_S = 600;

/** Minute rows one call seals at most, so that sealing after a backlog takes many short calls. */
const SEAL_ROWS = 50_000;

const floorTo = (t: number, widthS: number): number => Math.floor(t / widthS) * widthS;

/** Rows of the per-user rollups stamped up to this second, floored to each table's buckets, are sealed. */
export function sealedThrough(db: Db): number {
  const row = prepared(db, 'SELECT through FROM traffic_sealed').get() as { through: number } | undefined;
  return row?.through ?? 0;
}

/** The last sealed stamp of a rollup `widthS` wide. */
export const sealedBound = (through: number, widthS: number): number => floorTo(through, widthS);

/** The bounds as rollUp's statements bind them: `@sealedThrough<width>` for each per-user rollup. */
export function sealedParams(db: Db): Record<string, number> {
  const through = sealedThrough(db);
  return Object.fromEntries(
    trafficTables.rollups.map(({ widthS }) => [`sealedThrough${widthS}`, sealedBound(through, widthS)])
  );
}

/** SQL for the sealed flag of a row of a `widthS` rollup stamped `tsSql`, bound by sealedParams. */
export const sealedSql = (tsSql: string, widthS: number): string => `(${tsSql} <= @sealedThrough${widthS})`;

/**
 * Seals the per-user rollup rows up to `rolledThrough` (whole minutes) once sealing has fallen
 * SEAL_EVERY_S behind, SEAL_ROWS minute rows at most; true when more is due for another call.
 */
export function sealRollups(db: Db, rolledThrough: number): boolean {
  const from = sealedThrough(db);
  const target = floorTo(rolledThrough, MINUTE);
  if (target - from < SEAL_EVERY_S) {
    return false;
  }
  const minute = trafficTables.rollups[trafficTables.rollups.length - 1].table;
  const beyond = prepared(db, `SELECT ts FROM ${minute} WHERE ts > ? ORDER BY ts LIMIT 1 OFFSET ${SEAL_ROWS}`).get(
    from
  ) as { ts: number } | undefined;
  const to = beyond === undefined ? target : Math.min(target, Math.max(floorTo(beyond.ts, MINUTE), from + MINUTE));
  for (const { widthS, table } of trafficTables.rollups) {
    prepared(db, `UPDATE ${table} SET sealed = 1 WHERE ts > @from AND ts <= @to AND sealed = 0`).run({
      from: sealedBound(from, widthS),
      to: sealedBound(to, widthS),
    });
  }
  prepared(
    db,
    'INSERT INTO traffic_sealed (id, through) VALUES (1, @to) ON CONFLICT (id) DO UPDATE SET through = excluded.through'
  ).run({ to });
  return target - to >= SEAL_EVERY_S;
}
