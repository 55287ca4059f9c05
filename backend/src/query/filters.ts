import type { BaseQuery } from '../contract';

/**
 * The names a server/user filter asks for, as a JSON array for SQLite's json_each; null (no
 * filter) means all. A filter is one name or a comma-separated list: Grafana sends a multi-value
 * or "All" variable as `a,b` (the plugin interpolates with the csv format). The whole text counts
 * as a name too, so a name that itself contains a comma still matches exactly.
 */
function namesParam(filter: string | undefined): string | null {
  if (!filter) {
    return null;
  }
  const listed = filter
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return JSON.stringify([...new Set([filter, ...listed])]);
}

/** The server/user filters as SQL parameters `@server`, `@user` for the matchers below. */
export function filterParams(query: BaseQuery): { server: string | null; user: string | null } {
  return { server: namesParam(query.server), user: namesParam(query.user) };
}

/**
 * `column` is one of the names `@server`/`@user` lists, for statements used only when the filter is
 * set: without the `@x IS NULL OR` guard SQLite can seek an index on the column.
 */
export const listedIn = (column: string, param: 'server' | 'user'): string =>
  `${column} IN (SELECT value FROM json_each(@${param}))`;

/** `@server` on a table's server_id column; an unknown server name matches nothing. */
export const serverMatches = (serverIdColumn: string): string =>
  `(@server IS NULL OR ${serverIdColumn} IN (SELECT id FROM servers WHERE ${listedIn('name', 'server')}))`;

/** `@server` on the `servers` table's own name column. */
export const serverNameMatches = (nameColumn: string): string =>
  `(@server IS NULL OR ${listedIn(nameColumn, 'server')})`;

export const userMatches = (userColumn: string): string => `(@user IS NULL OR ${listedIn(userColumn, 'user')})`;

/**
 * Sessions of `alias` connected at some moment of [@from, @to]: open, or ended since @from (both
 * sides of the OR seek sessions_end), and started by @to. The unary plus keeps SQLite from walking
 * sessions_time from the first session ever up to @to instead.
 */
const sessionOverlapsRange = (alias: string): string =>
  `(${alias}.ended_at >= @from OR ${alias}.ended_at IS NULL) AND +${alias}.started_at <= @to`;

/**
 * The same for the sessions of the `@user` list, for statements used only when that filter is set:
 * they seek each user's sessions on sessions_user_end and test the times there.
 */
const userSessionOverlapsRange = (alias: string): string =>
  `${listedIn(`${alias}.user`, 'user')} AND (+${alias}.ended_at >= @from OR +${alias}.ended_at IS NULL)` +
  ` AND +${alias}.started_at <= @to`;

/** Sessions overlapping the range, of the `@user` list when `byUser` (the filter is set). */
export const overlappingSessions = (alias: string, byUser: boolean): string =>
  byUser ? userSessionOverlapsRange(alias) : sessionOverlapsRange(alias);
