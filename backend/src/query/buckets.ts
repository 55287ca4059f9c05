import type { QueryContext } from './query-context';

/**
 * The time buckets of a series: consecutive, `widthS` wide, aligned to multiples of the width
 * since the epoch so that a dashboard refresh lands on the same buckets. Unix seconds.
 */
export interface BucketGrid {
  widthS: number;
  /** Start of the first and of the last bucket; no buckets when last < first. */
  first: number;
  last: number;
}

/**
 * The panel's interval, widened so there are at most maxDataPoints buckets and none finer than
 * `finestS` (the spacing of the stored samples: finer buckets would alternate between a whole
 * sample and nothing, and a rate graph would saw up and down).
 */
export function bucketWidth(ctx: QueryContext, finestS = 1): number {
  const rangeS = Math.max(ctx.toS - ctx.fromS, 1);
  return Math.max(Math.ceil(ctx.intervalS), Math.ceil(rangeS / ctx.maxDataPoints), Math.ceil(finestS), 1);
}

const floorTo = (t: number, widthS: number): number => Math.floor(t / widthS) * widthS;

/** Buckets for point-in-time samples (capacity, sessions) from `fromS` to `endS`: a sample at t lies in [start, start + width). */
export function instantGrid(fromS: number, endS: number, widthS: number): BucketGrid {
  return { widthS, first: floorTo(fromS, widthS), last: floorTo(endS, widthS) };
}

/**
 * Buckets for traffic deltas from `fromS` to `endS`. A delta stamped t counts the bytes of the
 * seconds before t, so it lies in (start, start + width]: a poll at 10:00:00 closes the 09:59
 * minute.
 */
export function deltaGrid(fromS: number, endS: number, widthS: number): BucketGrid {
  return { widthS, first: floorTo(fromS, widthS), last: floorTo(endS - 1, widthS) };
}

/**
 * SQL for the start of the bucket of integer `tsColumn`, width bound as `@width`. `%` works in
 * integers even though better-sqlite3 binds JS numbers as REAL, where `/` would not.
 */
export const deltaBucketSql = (tsColumn: string): string => `(${tsColumn} - 1) - (${tsColumn} - 1) % @width`;
export const instantBucketSql = (tsColumn: string): string => `${tsColumn} - ${tsColumn} % @width`;

export function bucketStarts(grid: BucketGrid): number[] {
  const starts: number[] = [];
  for (let start = grid.first; start <= grid.last; start += grid.widthS) {
    starts.push(start);
  }
  return starts;
}

export const bucketIndex = (grid: BucketGrid, start: number): number => (start - grid.first) / grid.widthS;

/** Seconds of a delta bucket that lie before `endS`: the last bucket may be only partly known. */
export const knownSeconds = (grid: BucketGrid, start: number, endS: number): number =>
  Math.max(1, Math.min(grid.widthS, endS - start));
