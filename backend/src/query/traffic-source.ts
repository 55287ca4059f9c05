import type { Db } from '../store/database';
import { deltaBucketSql } from './buckets';
import { prepared } from '../store/prepared';
import { RAW_TRAFFIC } from '../store/rollups';
import { trafficTables } from '../store/series-tables';
import { chooseRollup } from './rollup-choice';
import { serverMatches, serverNameMatches, userMatches } from './filters';

/**
 * The one place that reads traffic deltas: from the coarsest rollup table that still resolves a
 * query's buckets, topped up from the raw `traffic` table where the rollups end.
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

const rawRows = `SELECT * FROM (${RAW_TRAFFIC}) WHERE ts > @cut AND ts <= @until`;

// Rollup rows are stamped at their bucket's end, so they fall in the same delta buckets as the raw
// rows they sum; the raw table supplies only what the rollup does not hold yet (after @cut).
const rowsInRange = (rollup: string | null): string => `
  FROM ${rollup ? `(SELECT ts, server_id, user, bytes_in, bytes_out FROM ${rollup} WHERE ts > @after AND ts <= @cut UNION ALL ${rawRows})` : `(${RAW_TRAFFIC})`}
  WHERE ts > @after AND ts <= @until AND ${serverMatches('server_id')} AND ${userMatches('user')}`;

// Grouping by bucket makes SQLite sort every row. Summing per poll first (GROUP BY ts follows the
// time key, so it needs no sort) shrinks that to a row per poll and server: 2.5x faster for
// ungrouped traffic, 1.3x per server. Per user it shrinks nothing, so users skip that step.
const sumsSql = (groupBy: TrafficGrouping, rollup: string | null): string => {
  const rows = rowsInRange(rollup);
  switch (groupBy) {
    case 'none':
      return `
        SELECT ${deltaBucketSql('ts')} AS bucket, '' AS grp, SUM(bytesIn) AS bytesIn, SUM(bytesOut) AS bytesOut
        FROM (SELECT ts, SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut ${rows} GROUP BY ts)
        GROUP BY bucket`;
    case 'server':
      return `
        SELECT ${deltaBucketSql('ts')} AS bucket, grp, SUM(bytesIn) AS bytesIn, SUM(bytesOut) AS bytesOut
        FROM (SELECT ts, server_id AS grp, SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut ${rows}
              GROUP BY ts, server_id)
        GROUP BY bucket, grp`;
    case 'user':
      return `
        SELECT ${deltaBucketSql('ts')} AS bucket, user AS grp, SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut
        ${rows}
        GROUP BY bucket, grp`;
  }
};

const slicesSql = (groupBy: TrafficGrouping, rollup: string | null): string =>
  groupBy === 'server'
    ? `SELECT t.bucket, s.name AS "group", t.bytesIn, t.bytesOut FROM (${sumsSql('server', rollup)}) t JOIN servers s ON s.id = t.grp`
    : `SELECT bucket, grp AS "group", bytesIn, bytesOut FROM (${sumsSql(groupBy, rollup)})`;

/** Bytes in and out per bucket and group. */
export function trafficSlices(db: Db, selection: TrafficSelection): TrafficSlice[] {
  const { after, until, widthS, groupBy, server, user } = selection;
  const rollup = chooseRollup(db, trafficTables, after, until, widthS);
  const params = { after, until, cut: rollup?.cut ?? after, width: widthS, server, user };
  return prepared(db, slicesSql(groupBy, rollup?.table ?? null)).all(params) as TrafficSlice[];
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
