import type { DataFrameJSON, VariableQuery } from '../contract';
import { filterParams, serverMatches, sessionOverlapsRange, userMatches } from './filters';
import { field, frame, shown } from './frames';
import type { QueryContext } from './query-context';
import { prepared } from '../store/prepared';

const valuesSql: Record<VariableQuery['variable'], string> = {
  servers: `SELECT name AS value FROM servers ORDER BY name`,
  users: `
    SELECT DISTINCT s.user AS value FROM sessions s
    WHERE ${sessionOverlapsRange('s')} AND ${serverMatches('s.server_id')}
    ORDER BY value`,
  apps: `
    SELECT DISTINCT s.app AS value FROM sessions s
    WHERE ${sessionOverlapsRange('s')} AND ${serverMatches('s.server_id')} AND ${userMatches('s.user')}
      AND s.app IS NOT NULL AND s.app <> ''
    ORDER BY value`,
};

/**
 * Values for a dashboard variable: every configured server, or the users and apps seen in the
 * range (a variable offering users who were never there only clutters the picker).
 */
export function variableFrames(ctx: QueryContext, query: VariableQuery): DataFrameJSON[] {
  const rows = prepared(ctx.db, valuesSql[query.variable]).all({
    from: ctx.fromS,
    to: ctx.toS,
    ...filterParams(query),
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
