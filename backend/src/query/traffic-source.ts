import type { Db } from '../store/database';
import { deltaBucketSql } from './buckets';
import { prepared } from '../store/prepared';
import { RAW_TRAFFIC, rolledUpThrough } from '../store/rollups';
import { sealedThrough } from '../store/sealed';
import { serverTrafficTables, trafficTables } from '../store/series-tables';
import { splitSealed, tiles, type Tile } from './rollup-choice';
import { listedIn, serverNameMatches } from './filters';

/**
 * The one place that reads traffic deltas: each stretch of time from the coarsest rollup rows that
 * hold it and resolve the query's buckets, the raw `traffic` table only after the last rolled-up
 * minute. Per server (and fleet) traffic reads the per-server rollups; a user filter or grouping,
 * the per-user ones.
 */

export type TrafficGrouping = 'none' | 'server' | 'user';

/**
 * Bytes in and out of one group in one bucket (its start, unix seconds); the group is a server
 * name, a user name, or '' when not grouped. A tuple, as SQLite hands the row over: a read returns
 * thousands of them, and an object per row costs as much again as the row.
 */
export type TrafficSlice = [bucket: number, group: string, bytesIn: number, bytesOut: number];

export interface TrafficSelection {
  /** Deltas stamped in (after, until] are read, in buckets of `widthS`; see `deltaGrid`. */
  after: number;
  until: number;
  widthS: number;
  groupBy: TrafficGrouping;
  /** The filters as filterParams() binds them. */
  server: string | null;
  user: string | null;
}

/** Whose rows a read needs: every user's, or only the per-server sums. */
export type TrafficLevel = 'user' | 'server';

export const levelOf = (selection: TrafficSelection): TrafficLevel =>
  selection.groupBy === 'user' || selection.user !== null ? 'user' : 'server';

export const tablesOf = (level: TrafficLevel) => (level === 'user' ? trafficTables : serverTrafficTables);

/**
 * The WHERE clause of tile `index` (bounds bound as `@after<index>`, `@until<index>`) on columns
 * named with `prefix`. A set filter is a plain IN, without the `@x IS NULL OR` form, so that
 * SQLite seeks the rollups' (user, ts) index.
 */
function tileWhere(index: number, selection: TrafficSelection, ts: string, serverId: string, user: string): string {
  return [
    `${ts} > @after${index} AND ${ts} <= @until${index}`,
    ...(selection.server === null
      ? []
      : [`${serverId} IN (SELECT id FROM servers WHERE ${listedIn('name', 'server')})`]),
    ...(selection.user === null ? [] : [listedIn(user, 'user')]),
  ].join(' AND ');
}

/**
 * The rows of one tile as (ts, server_id, user, bytes_in, bytes_out); per server, user is '' and a
 * poll's raw rows are summed per server first (that follows the time key, so it needs no sort).
 */
export function tileRows(tile: Tile, index: number, selection: TrafficSelection, level: TrafficLevel): string {
  if (tile.table === null) {
    const raw = `${RAW_TRAFFIC} WHERE ${tileWhere(index, selection, 't.ts', 's.server_id', 's.user')}`;
    return level === 'user'
      ? raw
      : `SELECT ts, server_id, '' AS user, SUM(bytes_in) AS bytes_in, SUM(bytes_out) AS bytes_out FROM (${raw})
         GROUP BY ts, server_id`;
  }
  const user = level === 'user' ? 'user' : "'' AS user";
  return `SELECT ts, server_id, ${user}, bytes_in, bytes_out FROM ${tile.table}
          WHERE ${tileWhere(index, selection, 'ts', 'server_id', 'user')}${tile.sealed ? ' AND sealed = 1' : ''}`;
}

/** The selection names exactly one user (the `@user` list holds one name). */
const namesOneUser = (selection: TrafficSelection): boolean =>
  selection.user !== null && (JSON.parse(selection.user) as string[]).length === 1;

const groupColumn: Record<TrafficGrouping, string> = { none: "''", server: 'server_id', user: 'user' };

/** A tile's rows summed per bucket and group, as (bucket, grp, bytesIn, bytesOut). */
function tileSumsSql(tile: Tile, index: number, selection: TrafficSelection): string {
  return `SELECT ${deltaBucketSql('ts')} AS bucket, ${groupColumn[selection.groupBy]} AS grp,
                 SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut
          FROM (${tileRows(tile, index, selection, levelOf(selection))}) GROUP BY bucket, grp`;
}

/**
 * The same for tile `index`, a sealed one of one user's rollup `table`, bucket by bucket: one seek
 * per bucket on the (user, ts) index. SQLite cannot tell that a row's bucket follows its time, so
 * summing the rows as they come sorts them all by bucket first; here the buckets come in order
 * and no row is sorted (10 users' week of minutes in 7-minute buckets: 43 → 26 ms on the year data
 * set). Wrapped in `SELECT * FROM (…)`: a WITH cannot open a UNION ALL member.
 */
export function bucketBySeekSql(table: string, index: number, selection: TrafficSelection): string {
  const [after, until, starts] = [`@after${index}`, `@until${index}`, `starts${index}`];
  // `=`, not IN: with an IN list SQLite would rather build a throwaway index than seek per bucket.
  const theUser = '(SELECT value FROM json_each(@user))';
  const where = [
    `t.user = ${theUser}`,
    `t.ts > MAX(b.start, ${after}) AND t.ts <= MIN(b.start + @width, ${until}) AND t.sealed = 1`,
    ...(selection.server === null
      ? []
      : [`t.server_id IN (SELECT id FROM servers WHERE ${listedIn('name', 'server')})`]),
  ].join(' AND ');
  const grp = { none: "''", server: 't.server_id', user: theUser }[selection.groupBy];
  return `SELECT * FROM (
            WITH RECURSIVE ${starts}(start) AS (
              SELECT ${after} - ${after} % @width UNION ALL
              SELECT start + @width FROM ${starts} WHERE start + @width < ${until})
            SELECT b.start AS bucket, ${grp} AS grp, SUM(t.bytes_in) AS bytesIn, SUM(t.bytes_out) AS bytesOut
            FROM (SELECT start FROM ${starts} ORDER BY start) b JOIN ${table} t ON ${where}
            GROUP BY b.start${selection.groupBy === 'server' ? ', t.server_id' : ''})`;
}

/** The bounds of each tile, as tileRows binds them. */
export const tileParams = (tileList: readonly Tile[]): Record<string, number> =>
  Object.fromEntries(
    tileList.flatMap((tile, index) => [
      [`after${index}`, tile.after],
      [`until${index}`, tile.until],
    ])
  );

/**
 * Each tile summed on its own: a bucket cut by a tile's edge comes as two slices, which
 * groupTraffic adds up like any others.
 */
function slicesSql(selection: TrafficSelection, tileList: readonly Tile[]): string {
  const bySeek = namesOneUser(selection);
  const sums = tileList
    .map((tile, index) =>
      bySeek && tile.sealed && tile.table !== null
        ? bucketBySeekSql(tile.table, index, selection)
        : tileSumsSql(tile, index, selection)
    )
    .join(' UNION ALL ');
  return selection.groupBy === 'server'
    ? `SELECT t.bucket, s.name, t.bytesIn, t.bytesOut FROM (${sums}) t JOIN servers s ON s.id = t.grp`
    : sums;
}

/** Bytes in and out per bucket and group; a bucket and group may come in more than one slice. */
export function trafficSlices(db: Db, selection: TrafficSelection): TrafficSlice[] {
  const { after, until, widthS, server, user } = selection;
  // Only tables whose buckets fit whole in the query's can answer it.
  const tables = tablesOf(levelOf(selection)).rollups.filter((rollup) => widthS % rollup.widthS === 0);
  const tiled = tiles(after, until, tables, rolledUpThrough(db));
  // One user's rows are sought in the sealed rows' (user, ts) index; everyone's are read by time.
  const tileList = user === null ? tiled : splitSealed(tiled, tables, sealedThrough(db));
  if (tileList.length === 0) {
    return [];
  }
  const params = { ...tileParams(tileList), width: widthS, server, user };
  return prepared(db, slicesSql(selection, tileList)).raw(true).all(params) as TrafficSlice[];
}

/** How many recent polls to look behind; a few are enough to see the poll interval. */
const SPACING_PROBES = 9;

// Every poll of a server stores one capacity sample (and a traffic row per session that moved
// bytes), so the gaps between a pool's samples are the poll interval: a seek each on the
// (server_id, pool, ts) key, where traffic, keyed by time, would need a scan per gap.
const spacingSql = `
  SELECT c.ts - (SELECT MAX(p.ts) FROM capacity p WHERE p.server_id = c.server_id AND p.pool = c.pool AND p.ts < c.ts) AS gap
  FROM capacity c WHERE c.ts BETWEEN @from AND @to ORDER BY c.ts DESC LIMIT ${SPACING_PROBES}`;

/**
 * Seconds between stored samples near the end of [from, to]: the median gap between recent
 * polls (the median shrugs off a late or missed poll). 1 when there is nothing to measure.
 * A rollup table will answer with its own resolution instead.
 */
export function sampleSpacing(db: Db, from: number, to: number): number {
  const gaps = (prepared(db, spacingSql).all({ from, to }) as Array<{ gap: number | null }>)
    .map((row) => row.gap)
    .filter((gap): gap is number => gap !== null)
    .sort((a, b) => a - b);
  return gaps.length === 0 ? 1 : gaps[Math.floor((gaps.length - 1) / 2)];
}

/**
 * When the (filtered) servers were last polled: traffic is known up to there. Past it a bucket is
 * not idle but not yet seen, so series end there instead of falling to zero. `server` is the
 * server filter as filterParams() binds it.
 */
export function lastPollAt(db: Db, server: string | null): number | null {
  const row = prepared(db, `SELECT MAX(last_poll_at) AS at FROM servers WHERE ${serverNameMatches('name')}`).get({
    server,
  }) as { at: number | null };
  return row.at;
}
