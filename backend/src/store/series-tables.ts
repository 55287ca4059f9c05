/**
 * The tables of each time series the store keeps: the raw rows polls write, and their rollups
 * per minute, hour and day, and for per-user traffic per week and four weeks (see rollups.ts). Retention, rollUp
 * and the query layer all walk these.
 */

export const MINUTE = 60;
export const HOUR = 3_600;
export const DAY = 86_400;
/** Weeks since the epoch (from Thursday): only ever summed whole, never shown as calendar weeks. */
export const WEEK = 7 * DAY;

const widths = { four_weeks: 4 * WEEK, week: WEEK, day: DAY, hour: HOUR, minute: MINUTE };

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

/** The raw table and its rollups, named `<prefix>_<level>`, coarsest first. */
const seriesTables = (
  raw: string,
  stamp: SeriesTables['stamp'],
  key: string,
  prefix: string,
  levels: ReadonlyArray<keyof typeof widths>
): SeriesTables => ({
  raw,
  rollups: levels.map((level) => ({ widthS: widths[level], table: `${prefix}_${level}` })),
  key,
  stamp,
});

/**
 * Traffic per server and user. The week and four-week rows are there for totals over months (the
 * busiest users of a year: 13 rows per user and server instead of 365).
 */
export const trafficTables = seriesTables('traffic', 'end', 'ts, server_id, user', 'traffic', [
  'four_weeks',
  'week',
  'day',
  'hour',
  'minute',
]);
/**
 * The same traffic summed per server: a per-server or fleet series reads a few rows per bucket
 * instead of one per user. Rolled up and pruned with the per-user tables, from the same raw rows.
 */
export const serverTrafficTables = seriesTables('traffic', 'end', 'ts, server_id', 'traffic_server', [
  'day',
  'hour',
  'minute',
]);
export const capacityTables = seriesTables('capacity', 'start', 'server_id, pool, ts', 'capacity', [
  'day',
  'hour',
  'minute',
]);

/** SQL that holds for the rows of `series` older than the time bound as `@from`. */
export const olderThanFrom = (series: SeriesTables): string => (series.stamp === 'end' ? 'ts <= @from' : 'ts < @from');
