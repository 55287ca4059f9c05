import type { TrafficDirection } from '../contract';
import type { Db } from '../store/database';
import { prepared } from '../store/prepared';
import { rolledUpThrough } from '../store/rollups';
import { sealedThrough } from '../store/sealed';
import { trafficTables } from '../store/series-tables';
import { splitSealed, tiles, type Tile } from './rollup-choice';
import { distinctUsersCte } from './distinct-users';
import { busiest } from './traffic-groups';
import { tileParams, tileRows, trafficSlices, type TrafficSelection, type TrafficSlice } from './traffic-source';

/**
 * Every user with a sealed row in rollup `table`, one index seek each: IN over this list reads the (user, ts) index user by user, so the
 * sums per user come out in order and need no sort.
 */
const everyUserOf = (table: string): string =>
  `(WITH RECURSIVE ${distinctUsersCte('listed', table, 'sealed = 1')} SELECT user FROM listed)`;

/**
 * From how many buckets of its table a sealed tile is summed user by user rather than in time
 * order and sorted. Measured on the year data set's day rows (2,000 users): 3 days 3 times slower
 * user by user, 14 days even, 60 days 2.5 times and a year 3 times faster.
 */
const SEEK_USERS_FROM_BUCKETS = 28;

const widthOf = new Map(trafficTables.rollups.map((rollup) => [rollup.table, rollup.widthS]));

/** Each user's bytes in one tile's rows. */
function tileTotalsSql(tile: Tile, index: number, selection: TrafficSelection): string {
  const rows = tileRows(tile, index, selection, 'user');
  const { table, sealed, after, until } = tile;
  const long = table !== null && (until - after) / (widthOf.get(table) ?? 1) >= SEEK_USERS_FROM_BUCKETS;
  const summed = long && sealed && selection.user === null ? `${rows} AND user IN ${everyUserOf(table)}` : rows;
  return `SELECT user, SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut FROM (${summed}) GROUP BY user`;
}

/**
 * The `topN` users that moved the most bytes over the selection's time in `direction`, ranked as
 * `busiest` ranks groups. The totals need no buckets, so they come from the coarsest rows that
 * tile the time: week rows for whole weeks, day, hour and minute rows at the edges, raw after the
 * last rolled-up minute.
 */
export function busiestUsers(db: Db, selection: TrafficSelection, topN: number, direction: TrafficDirection): string[] {
  const tiled = tiles(selection.after, selection.until, trafficTables.rollups, rolledUpThrough(db));
  const tileList = splitSealed(tiled, trafficTables.rollups, sealedThrough(db));
  if (tileList.length === 0) {
    return [];
  }
  const perTile = tileList.map((tile, index) => tileTotalsSql(tile, index, selection));
  const sql = `SELECT user, SUM(bytesIn) AS bytesIn, SUM(bytesOut) AS bytesOut FROM (${perTile.join(' UNION ALL ')})
               GROUP BY user`;
  const { server, user } = selection;
  const totals = prepared(db, sql).all({ ...tileParams(tileList), server, user }) as Array<{
    user: string;
    bytesIn: number;
    bytesOut: number;
  }>;
  const groups = totals.map(({ user, bytesIn, bytesOut }) => ({
    group: user,
    bytesIn: [bytesIn],
    bytesOut: [bytesOut],
  }));
  return busiest(groups, topN, direction).map((group) => group.group);
}

/**
 * The slices of a selection, with `topN` (> 0) grouped by user: only the busiest users' buckets,
 * found by busiestUsers, instead of every user's buckets of which all but N would be dropped.
 */
export function busiestSlices(
  db: Db,
  selection: TrafficSelection,
  topN: number,
  direction: TrafficDirection
): TrafficSlice[] {
  if (selection.groupBy !== 'user' || topN <= 0) {
    return trafficSlices(db, selection);
  }
  const users = busiestUsers(db, selection, topN, direction);
  // One user at a time: a single user's sealed rows are summed bucket by bucket, without a sort.
  return users.flatMap((user) => trafficSlices(db, { ...selection, user: JSON.stringify([user]) }));
}
