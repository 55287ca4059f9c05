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
  /**
   * 'end': a row counts the seconds up to its `ts` (a traffic delta, or a bucket stamped at its
   * end), so a time `t` holds rows stamped after it. 'start': a row is a sample taken at `ts` or a
   * bucket starting there, so `t` holds rows stamped at or after it.
   */
  stamp: 'end' | 'start';
}

/** The raw table and its rollups, named `<raw>_minute`, `<raw>_hour` and `<raw>_day`. */
const seriesTables = (raw: string, stamp: SeriesTables['stamp']): SeriesTables => ({
  raw,
  rollups: [
    { widthS: DAY, table: `${raw}_day` },
    { widthS: HOUR, table: `${raw}_hour` },
    { widthS: MINUTE, table: `${raw}_minute` },
  ],
  stamp,
});

export const trafficTables = seriesTables('traffic', 'end');
export const capacityTables = seriesTables('capacity', 'start');

/** SQL that holds for the rows of `series` older than the time bound as `@from`. */
export const olderThanFrom = (series: SeriesTables): string => (series.stamp === 'end' ? 'ts <= @from' : 'ts < @from');
