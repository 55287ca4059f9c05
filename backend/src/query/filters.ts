import type { BaseQuery } from '../contract';

/** The server/user filters as SQL parameters `@server`, `@user`: empty or absent means all (NULL). */
export function filterParams(query: BaseQuery): { server: string | null; user: string | null } {
  return { server: query.server || null, user: query.user || null };
}

/** `@server` on a table's server_id column; an unknown server name matches nothing. */
export const serverMatches = (serverIdColumn: string): string =>
  `(@server IS NULL OR ${serverIdColumn} = (SELECT id FROM servers WHERE name = @server))`;

export const userMatches = (userColumn: string): string => `(@user IS NULL OR ${userColumn} = @user)`;

/**
 * Sessions of `alias` connected at some moment of [@from, @to]. It walks the sessions_time index
 * up to @to; there is no index on ended_at to bound the other side.
 */
export const sessionOverlapsRange = (alias: string): string =>
  `${alias}.started_at <= @to AND (${alias}.ended_at IS NULL OR ${alias}.ended_at >= @from)`;
