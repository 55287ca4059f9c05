import type { Db } from '../../backend/src/store/database';
import { DAY, trafficTables } from '../../backend/src/store/series-tables';

export const ROLLUP_LEVELS = ['minute', 'hour', 'day'] as const;

/** The per-server rollup rows of one level, and what they must be: the sums of the per-user rows. */
export function serverRollupsAndUserSums(
  db: Db,
  level: (typeof ROLLUP_LEVELS)[number]
): { perServer: unknown[]; userSums: unknown[] } {
  return {
    perServer: db.prepare(`SELECT ts, server_id, bytes_in, bytes_out FROM traffic_server_${level} ORDER BY 1, 2`).all(),
    userSums: db
      .prepare(
        `SELECT ts, server_id, SUM(bytes_in) AS bytes_in, SUM(bytes_out) AS bytes_out FROM traffic_${level}
         GROUP BY 1, 2 ORDER BY 1, 2`
      )
      .all(),
  };
}

/**
 * The per-user rows of the rollups coarser than a day (weeks, four weeks), and what they must be:
 * the day rows summed per bucket of each.
 */
export function longRowsAndDaySums(db: Db): { long: unknown[]; daySums: unknown[] } {
  const coarser = trafficTables.rollups.filter(({ widthS }) => widthS > DAY);
  const rows = (sql: (table: string, width: number) => string) =>
    coarser.flatMap(({ table, widthS }) => db.prepare(sql(table, widthS)).all());
  return {
    long: rows(
      (table) => `SELECT '${table}' AS tbl, ts, server_id, user, bytes_in, bytes_out FROM ${table} ORDER BY 2, 3, 4`
    ),
    daySums: rows(
      (table, width) =>
        `SELECT '${table}' AS tbl, (ts - 1) - (ts - 1) % ${width} + ${width} AS ts, server_id, user,
                SUM(bytes_in) AS bytes_in, SUM(bytes_out) AS bytes_out FROM traffic_day GROUP BY 2, 3, 4 ORDER BY 2, 3, 4`
    ),
  };
}

/**
 * Per-user rollup rows whose sealed flag is not what traffic_sealed says (sealed exactly up to
 * its `through`, floored to each table's buckets), and how many rows are sealed.
 */
export function misSealedRows(db: Db): { wrong: unknown[]; sealedRows: number } {
  const { through } = db.prepare('SELECT through FROM traffic_sealed').get() as { through: number };
  let sealedRows = 0;
  const wrong = trafficTables.rollups.flatMap(({ table, widthS: width }) => {
    const bound = Math.floor(through / width) * width;
    sealedRows += (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE sealed = 1`).get() as { n: number }).n;
    return db.prepare(`SELECT '${table}' AS tbl, ts, user, sealed FROM ${table} WHERE sealed <> (ts <= ?)`).all(bound);
  });
  return { wrong, sealedRows };
}
