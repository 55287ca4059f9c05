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
