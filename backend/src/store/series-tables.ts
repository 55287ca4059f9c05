/**
 * The tables of each time series the store keeps: the raw rows polls write, and their rollups
 * per minute, hour and day (see rollups.ts). Retention, rollUp and the query layer all walk these.
 */

export const MINUTE = 60;
export const HOUR = 3_600;
export const DAY = 86_400;

export interface RollupTable {
  widthS: number;
  table: string;
}

export interface SeriesTables {
  raw: string;
  /** Coarsest first: the query layer tries them in this order. */
  rollups: readonly RollupTable[];
  /** The primary key columns of the rollup tables. */
  key: string;
  /**
   * 'end': a row counts the seconds up to its `ts` (a traffic delta, or a bucket stamped at its
   * end), so a time `t` holds rows stamped after it. 'start': a row is a sample taken at `ts` or a
   * bucket starting there, so `t` holds rows stamped at or after it.
   */
  stamp: 'end' | 'start';
}

/** The raw table and its rollups, named `<prefix>_minute`, `<prefix>_hour` and `<prefix>_day`. */
const seriesTables = (raw: string, stamp: SeriesTables['stamp'], key: string, prefix = raw): SeriesTables => ({
  raw,
  rollups: [
    { widthS: DAY, table: `${prefix}_day` },
    { widthS: HOUR, table: `${prefix}_hour` },
    { widthS: MINUTE, table: `${prefix}_minute` },
  ],
  key,
  stamp,
});

/** Traffic per server and user. */
export const trafficTables = seriesTables('traffic', 'end', 'ts, server_id, user');
/**
 * The same traffic summed per server: a per-server or fleet series reads a few rows per bucket
 * instead of one per user. Rolled up and pruned with the per-user tables, from the same raw rows.
 */
export const serverTrafficTables = seriesTables('traffic', 'end', 'ts, server_id', 'traffic_server');
export const capacityTables = seriesTables('capacity', 'start', 'server_id, pool, ts');

/** SQL that holds for the rows of `series` older than the time bound as `@from`. */
export const olderThanFrom = (series: SeriesTables): string => (series.stamp === 'end' ? 'ts <= @from' : 'ts < @from');
