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

export interface TrafficSlice {
  /** Grouping is applied after the buckets are summed, so a bucket start is unix seconds. */
  bucket: number;
  /** Server name, user name, or '' when not grouped. */
  group: string;
  bytesIn: number;
  bytesOut: number;
}

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

/** The bounds of each tile, as tileRows binds them. */
export const tileParams = (tileList: readonly Tile[]): Record<string, number> =>
  Object.fromEntries(
    tileList.flatMap((tile, index) => [
      [`after${index}`, tile.after],
      [`until${index}`, tile.until],
    ])
  );

const groupColumn: Record<TrafficGrouping, string> = { none: "''", server: 'server_id', user: 'user' };

function slicesSql(selection: TrafficSelection, tileList: readonly Tile[]): string {
  const rows = tileList.map((tile, index) => tileRows(tile, index, selection, levelOf(selection))).join(' UNION ALL ');
  const sums = `
    SELECT ${deltaBucketSql('ts')} AS bucket, ${groupColumn[selection.groupBy]} AS grp,
           SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut
    FROM (${rows}) GROUP BY bucket, grp`;
  return selection.groupBy === 'server'
    ? `SELECT t.bucket, s.name AS "group", t.bytesIn, t.bytesOut FROM (${sums}) t JOIN servers s ON s.id = t.grp`
    : `SELECT bucket, grp AS "group", bytesIn, bytesOut FROM (${sums})`;
}

/** Bytes in and out per bucket and group. */
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
  return prepared(db, slicesSql(selection, tileList)).all(params) as TrafficSlice[];
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
