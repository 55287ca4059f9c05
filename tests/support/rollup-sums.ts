import type { Db } from '../../backend/src/store/database';

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

/** The per-user week rows, and what they must be: the day rows summed per week. */
export function weekRowsAndDaySums(db: Db): { weeks: unknown[]; daySums: unknown[] } {
  return {
    weeks: db.prepare('SELECT ts, server_id, user, bytes_in, bytes_out FROM traffic_week ORDER BY 1, 2, 3').all(),
    daySums: db
      .prepare(
        `SELECT (ts - 1) - (ts - 1) % 604800 + 604800 AS ts, server_id, user, SUM(bytes_in) AS bytes_in,
                SUM(bytes_out) AS bytes_out FROM traffic_day GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
      )
      .all(),
  };
}

/**
 * Per-user rollup rows whose sealed flag is not what traffic_sealed says (sealed exactly up to
 * its `through`, floored to each table's buckets), and how many rows are sealed.
 */
export function misSealedRows(db: Db): { wrong: unknown[]; sealedRows: number } {
  const widths = { minute: 60, hour: 3_600, day: 86_400, week: 604_800 };
  const { through } = db.prepare('SELECT through FROM traffic_sealed').get() as { through: number };
  let sealedRows = 0;
  const wrong = Object.entries(widths).flatMap(([level, width]) => {
    const bound = Math.floor(through / width) * width;
    const table = `traffic_${level}`;
    sealedRows += (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE sealed = 1`).get() as { n: number }).n;
    return db.prepare(`SELECT '${table}' AS tbl, ts, user, sealed FROM ${table} WHERE sealed <> (ts <= ?)`).all(bound);
  });
  return { wrong, sealedRows };
}
