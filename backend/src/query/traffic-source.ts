import type { Db } from '../store/database';
import { deltaBucketSql } from './buckets';
import { prepared } from './statements';
import { serverMatches, userMatches } from './filters';

/**
 * The one place that reads traffic deltas. Today it reads the raw `traffic` table; when rollup
 * tables arrive, this is where a query picks the coarsest one that still resolves its buckets.
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
  server: string | null;
  user: string | null;
}

const groupColumn: Record<TrafficGrouping, string> = { none: "''", server: 'server_id', user: 'user' };

const slicesSql = (groupBy: TrafficGrouping): string => {
  const sums = `
    SELECT ${deltaBucketSql('ts')} AS bucket, ${groupColumn[groupBy]} AS grp,
           SUM(bytes_in) AS bytesIn, SUM(bytes_out) AS bytesOut
    FROM traffic
    WHERE ts > @after AND ts <= @until AND ${serverMatches('server_id')} AND ${userMatches('user')}
    GROUP BY bucket, grp`;
  return groupBy === 'server'
    ? `SELECT t.bucket, s.name AS "group", t.bytesIn, t.bytesOut FROM (${sums}) t JOIN servers s ON s.id = t.grp`
    : `SELECT bucket, grp AS "group", bytesIn, bytesOut FROM (${sums})`;
};

/** Bytes in and out per bucket and group. */
export function trafficSlices(db: Db, selection: TrafficSelection): TrafficSlice[] {
  const { after, until, widthS, groupBy, server, user } = selection;
  return prepared(db, slicesSql(groupBy)).all({ after, until, width: widthS, server, user }) as TrafficSlice[];
}

/** How many recent samples to look behind; a few are enough to see the poll interval. */
const SPACING_PROBES = 9;

const spacingSql = `
  SELECT t.ts - (SELECT MAX(p.ts) FROM traffic p WHERE p.session_id = t.session_id AND p.ts < t.ts) AS gap
  FROM (SELECT session_id, ts FROM traffic WHERE ts BETWEEN @from AND @to ORDER BY ts DESC LIMIT ${SPACING_PROBES}) t`;

/**
 * Seconds between stored samples near the end of [from, to]: the median gap between a session's
 * latest samples and the ones before them (a gap is longer when a session idled through a poll,
 * as idle polls store no row; the median shrugs that off). 1 when there is nothing to measure.
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
 * not idle but not yet seen, so series end there instead of falling to zero.
 */
export function lastPollAt(db: Db, server: string | null): number | null {
  const row = prepared(db, `SELECT MAX(last_poll_at) AS at FROM servers WHERE @server IS NULL OR name = @server`).get({
    server,
  }) as {
    at: number | null;
  };
  return row.at;
}
