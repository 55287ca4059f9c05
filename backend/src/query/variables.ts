import type { DataFrameJSON, VariableQuery } from '../contract';
import { filterParams, overlappingSessions, serverMatches, serverNameMatches } from './filters';
import { distinctUsersCte } from './distinct-users';
import { field, frame, shown } from './frames';
import type { QueryContext } from './query-context';
import { prepared } from '../store/prepared';

/**
 * Each user by a loose scan of sessions_user_end (one seek per user, not a pass over every
 * session), kept when a session of theirs on an asked server overlaps the range: per (user, server)
 * one seek for the ended ones and one for the open ones.
 */
const usersSql = `
  WITH RECURSIVE ${distinctUsersCte('seen', 'sessions')},
  asked(id) AS (SELECT id FROM servers WHERE ${serverNameMatches('name')})
  SELECT user AS value FROM seen u
  WHERE user IS NOT NULL
    AND (EXISTS (SELECT 1 FROM sessions s WHERE s.user = u.user AND s.server_id IN asked
                   AND s.ended_at >= @from AND +s.started_at <= @to)
      OR EXISTS (SELECT 1 FROM sessions s WHERE s.user = u.user AND s.server_id IN asked
                   AND s.ended_at IS NULL AND +s.started_at <= @to))
  ORDER BY value`;

const appsSql = (byUser: boolean): string => `
  SELECT DISTINCT s.app AS value FROM sessions s
  WHERE ${overlappingSessions('s', byUser)} AND ${serverMatches('s.server_id')}
    AND s.app IS NOT NULL AND s.app <> ''
  ORDER BY value`;

function valuesSql(query: VariableQuery, byUser: boolean): string {
  switch (query.variable) {
    case 'servers':
      return `SELECT name AS value FROM servers ORDER BY name`;
    case 'users':
      return usersSql;
    case 'apps':
      return appsSql(byUser);
  }
}

/**
 * Values for a dashboard variable: every configured server, or the users and apps seen in the
 * range (a variable offering users who were never there only clutters the picker).
 */
export function variableFrames(ctx: QueryContext, query: VariableQuery): DataFrameJSON[] {
  const filters = filterParams(query);
  const rows = prepared(ctx.db, valuesSql(query, filters.user !== null)).all({
    from: ctx.fromS,
    to: ctx.toS,
    ...filters,
  }) as Array<{ value: string }>;
  return [
    frame(
      [
        field(
          'value',
          'string',
          rows.map((row) => row.value),
          shown(query.variable)
        ),
      ],
      { name: query.variable }
    ),
  ];
}
