/**
 * A recursive CTE `name(user)` listing every distinct user of `table` (rows matching `where`), one
 * index seek per user on an index that starts with `user`: SQLite has no skip-scan without
 * ANALYZE's statistics, so `SELECT DISTINCT user` would read every row. The last row is NULL.
 */
export const distinctUsersCte = (name: string, table: string, where = 'true'): string => `
  ${name}(user) AS (
    SELECT MIN(user) FROM ${table} WHERE ${where}
    UNION ALL
    SELECT (SELECT MIN(user) FROM ${table} WHERE user > ${name}.user AND ${where}) FROM ${name}
    WHERE ${name}.user IS NOT NULL
  )`;
