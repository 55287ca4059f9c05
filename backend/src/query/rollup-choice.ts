import type { Db } from '../store/database';
import { keptFrom, type KeptFrom } from '../store/kept-from';
import { rolledUpThrough } from '../store/rollups';
import { sealedBound } from '../store/sealed';
import type { RollupTable, SeriesTables } from '../store/series-tables';

/** A query reads `table` for the time before `cut` and the raw table from `cut` on. */
export interface RollupRead {
  table: string;
  cut: number;
}

const holdsFrom = (kept: KeptFrom, table: string): number => kept[table] ?? -Infinity;

/**
 * The bucket width to read `series` with from `fromS`: `widthS` when a table whose buckets tile it
 * still holds that time, else widened to whole buckets of the finest rollup that does (of the
 * coarsest when none does). A 30-day panel asking for 29-minute buckets once the minute rollups of
 * its first weeks are pruned gets hours, rather than a graph that is empty where raw rows were.
 */
export function storedWidth(db: Db, series: SeriesTables, fromS: number, widthS: number): number {
  const kept = keptFrom(db);
  const holds = (table: string, width: number) => holdsFrom(kept, table) <= Math.floor(fromS / width) * width;
  const finestFirst = [...series.rollups].reverse();
  const tiling = finestFirst.filter((rollup) => widthS % rollup.widthS === 0);
  if (holds(series.raw, widthS) || tiling.some((rollup) => holds(rollup.table, widthS))) {
    return widthS;
  }
  const holding = finestFirst.find((rollup) => holds(rollup.table, Math.ceil(widthS / rollup.widthS) * rollup.widthS));
  const unit = (holding ?? series.rollups[0]).widthS;
  return Math.ceil(widthS / unit) * unit;
}

/**
 * The coarsest rollup whose buckets tile the query's (`widthS` wide from `first`), read up to its
 * last bucket that the rollups hold whole, with the raw table still holding the time after it.
 * Null when the raw table answers alone. `end`: the time the query reads up to.
 */
export function chooseRollup(
  db: Db,
  series: SeriesTables,
  first: number,
  end: number,
  widthS: number
): RollupRead | null {
  const through = rolledUpThrough(db);
  if (through === null) {
    return null;
  }
  const kept = keptFrom(db);
  // A delta stamped `through` counts the seconds before it; a sample stamped `through` is the second after.
  const complete = series.stamp === 'end' ? through : through + 1;
  for (const { widthS: rollupS, table } of series.rollups) {
    const cut = Math.floor(Math.min(end, complete) / rollupS) * rollupS;
    if (widthS % rollupS === 0 && first % rollupS === 0 && cut > first && holdsFrom(kept, series.raw) <= cut) {
      return { table, cut };
    }
  }
  return null;
}

/** Rows of `table` (null: the raw table) stamped in (after, until]. */
export interface Tile {
  table: string | null;
  after: number;
  until: number;
  /** Only sealed rows (see store/sealed.ts), which the per-user rollups' (user, ts) indexes hold. */
  sealed?: boolean;
}

const floorTo = (t: number, widthS: number): number => Math.floor(t / widthS) * widthS;
const ceilTo = (t: number, widthS: number): number => Math.ceil(t / widthS) * widthS;

/**
 * (after, until] of a series stamped at bucket ends, cut into the coarsest rows that hold it: whole
 * buckets of the coarsest table inside it (up to what is rolled up, `through`), the edges from the
 * next finer tables, and the raw table only where no rollup holds the time (after the last rolled-up
 * minute, or before the first whole one). `tables`: coarsest first, each width a multiple of the next.
 */
export function tiles(after: number, until: number, tables: readonly RollupTable[], through: number | null): Tile[] {
  if (until <= after) {
    return [];
  }
  const [coarsest, ...finer] = tables;
  if (!coarsest || through === null) {
    return [{ table: null, after, until }];
  }
  const first = ceilTo(after, coarsest.widthS);
  const last = floorTo(Math.min(until, through), coarsest.widthS);
  if (last <= first) {
    return tiles(after, until, finer, through);
  }
  return [
    ...tiles(after, first, finer, through),
    { table: coarsest.table, after: first, until: last },
    ...tiles(last, until, finer, through),
  ];
}

/**
 * Tiles of the per-user rollups cut where their sealed rows end: the sealed part is read through
 * the (user, ts) index, the few newer rows by time.
 */
export function splitSealed(tileList: readonly Tile[], tables: readonly RollupTable[], sealedThrough: number): Tile[] {
  return tileList.flatMap((tile): Tile[] => {
    const rollup = tables.find(({ table }) => table === tile.table);
    const bound = rollup ? sealedBound(sealedThrough, rollup.widthS) : -Infinity;
    if (bound <= tile.after) {
      return [tile];
    }
    if (bound >= tile.until) {
      return [{ ...tile, sealed: true }];
    }
    return [
      { ...tile, until: bound, sealed: true },
      { ...tile, after: bound },
    ];
  });
}
