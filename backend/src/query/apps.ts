import type { AppDimension, AppsQuery, DataFrameJSON } from '../contract';
import { bucketStarts, bucketWidth, instantGrid, type BucketGrid } from './buckets';
import { clientSharesSql, dayParams } from './client-shares';
import { filterParams, overlappingSessions, serverMatches } from './filters';
import { field, frame, millis, series, shown, tableFrame, type Column } from './frames';
import type { QueryContext } from './query-context';
import { runsOf } from './runs';
import { prepared } from '../store/prepared';

const dimensionColumn: Record<AppDimension, string> = {
  app: 's.app',
  app_version: 's.app_version',
  platform: 's.platform',
  client_version: 's.client_version',
};

const dimensionHeader: Record<AppDimension, string> = {
  app: 'App',
  app_version: 'App version',
  platform: 'Platform',
  client_version: 'Client version',
};

/** Clients that never told us (PPTP, old OpenVPN without IV_GUI_VER ...) count as 'unknown'. */
const valueSql = (dimension: AppDimension): string => `COALESCE(NULLIF(${dimensionColumn[dimension]}, ''), 'unknown')`;

const sessionsInRange = (byUser: boolean): string => `
  FROM sessions s
  WHERE ${overlappingSessions('s', byUser)} AND ${serverMatches('s.server_id')}`;

/** From the sessions themselves: for a user's few, or a range that ends before it starts. */
const distributionSql = (dimension: AppDimension, byUser: boolean): string => `
  SELECT ${valueSql(dimension)} AS value, COUNT(DISTINCT s.user) AS users, COUNT(*) AS sessions
  ${sessionsInRange(byUser)}
  GROUP BY value ORDER BY users DESC, sessions DESC, value`;

const presenceSql = (dimension: AppDimension, byUser: boolean): string => `
  SELECT ${valueSql(dimension)} AS value, s.user, s.started_at AS startedAt, COALESCE(s.ended_at, @now) AS endedAt
  ${sessionsInRange(byUser)}
  ORDER BY value, s.user, s.started_at`;

interface Share {
  value: string;
  users: number;
  sessions: number;
}

interface Presence {
  value: string;
  user: string;
  startedAt: number;
  endedAt: number;
}

function distribution(ctx: QueryContext, query: AppsQuery, dimension: AppDimension): DataFrameJSON {
  const filters = filterParams(query);
  const bySummary = filters.user === null && ctx.fromS <= ctx.toS;
  const sql = bySummary ? clientSharesSql(dimension) : distributionSql(dimension, filters.user !== null);
  const shares = prepared(ctx.db, sql).all({
    from: ctx.fromS,
    to: ctx.toS,
    ...dayParams(ctx.fromS, ctx.toS),
    ...filters,
  }) as Share[];
  const columns: Array<Column<Share>> = [
    { name: dimension, type: 'string', config: shown(dimensionHeader[dimension]), value: (s) => s.value },
    { name: 'users', type: 'number', config: shown('Users', 'count'), value: (s) => s.users },
    { name: 'sessions', type: 'number', config: shown('Sessions', 'count'), value: (s) => s.sessions },
  ];
  return tableFrame(shares, columns, 'apps');
}

/**
 * Distinct users of one value per bucket. A user counts once in every bucket any of their
 * sessions overlaps: their sessions' bucket spans are merged first, then a running sum over
 * span starts and ends counts the users present in each bucket.
 */
function usersPerBucket(presences: Presence[], grid: BucketGrid, bucketCount: number): number[] {
  const changes = new Array<number>(bucketCount + 1).fill(0);
  const bucketOf = (t: number): number =>
    Math.min(Math.max(Math.floor((t - grid.first) / grid.widthS), 0), bucketCount - 1);
  let user: string | null = null;
  let span: [number, number] | null = null;
  const close = () => {
    if (span) {
      changes[span[0]] += 1;
      changes[span[1] + 1] -= 1;
    }
  };
  for (const presence of presences) {
    const [from, to] = [bucketOf(presence.startedAt), bucketOf(presence.endedAt)];
    if (presence.user === user && span && from <= span[1]) {
      span[1] = Math.max(span[1], to);
    } else {
      close();
      [user, span] = [presence.user, [from, to]];
    }
  }
  close();
  let present = 0;
  return changes.slice(0, bucketCount).map((change) => (present += change));
}

function usersOverTime(ctx: QueryContext, query: AppsQuery, dimension: AppDimension): DataFrameJSON[] {
  const end = Math.min(ctx.toS, ctx.now);
  const grid = instantGrid(ctx.fromS, end, bucketWidth(ctx));
  const starts = bucketStarts(grid);
  if (starts.length === 0) {
    return [];
  }
  const filters = filterParams(query);
  const presences = prepared(ctx.db, presenceSql(dimension, filters.user !== null)).all({
    from: ctx.fromS,
    to: end,
    now: ctx.now,
    ...filters,
  }) as Presence[];
  const times = starts.map(millis);
  return runsOf(presences, (presence) => presence.value).map((ofValue) => {
    const value = ofValue[0].value;
    return frame(
      [
        field('time', 'time', times, { displayName: 'Time' }),
        field('users', 'number', usersPerBucket(ofValue, grid, starts.length), series(value, 'count'), {
          [dimension]: value,
        }),
      ],
      { name: value }
    );
  });
}

/** Which apps, versions, platforms or client versions connected in the range, and by how many users. */
export function appsFrames(ctx: QueryContext, query: AppsQuery): DataFrameJSON[] {
  const dimension = query.dimension ?? 'app';
  return (query.format ?? 'table') === 'table'
    ? [distribution(ctx, query, dimension)]
    : usersOverTime(ctx, query, dimension);
}
