import type { AppDimension } from '../contract';
import { serverNameMatches } from './filters';
import { clientValue } from '../store/session-clients';

/**
 * Users and sessions per value of one client column over [@from, @to] for every user, from the
 * summaries that triggers keep (store/session-clients.ts) instead of every session of the range.
 * Parameters: @from, @to, @server, @fromDay and @toDay (the UTC days of @from and @to); it needs
 * @from <= @to.
 *
 * Users: each (user, server, value) that ever connected is asked whether one of its sessions
 * overlaps the range; one seek on sessions_user_end when the value is the user's latest.
 * Sessions: those started by @to less those ended before @from, each a sum over client_days of
 * the whole days before plus the sessions of the day itself (partial days); sessions ended before
 * @from but started after @to (their end precedes their start) were subtracted without having been
 * counted, and are added back.
 */
export const clientSharesSql = (dimension: AppDimension): string => `
  WITH asked(id) AS (SELECT id FROM servers WHERE ${serverNameMatches('name')}),
  pairs AS (SELECT DISTINCT user, server_id, ${dimension} AS value FROM session_clients WHERE sessions > 0 AND server_id IN asked),
  users (value, users) AS (
    SELECT value, COUNT(DISTINCT user) FROM pairs p
    WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.user = p.user AND s.server_id = p.server_id
                    AND s.ended_at >= @from AND +s.started_at <= @to AND ${clientValue('s', dimension)} = p.value)
       OR EXISTS (SELECT 1 FROM sessions s WHERE s.user = p.user AND s.server_id = p.server_id
                    AND s.ended_at IS NULL AND +s.started_at <= @to AND ${clientValue('s', dimension)} = p.value)
    GROUP BY value
  ),
  counts (value, sessions) AS (
    SELECT value, SUM(n) FROM (
      SELECT ${dimension} AS value, started AS n FROM client_days WHERE day < @toDay AND server_id IN asked
      UNION ALL
      SELECT ${dimension}, -ended FROM client_days WHERE day < @fromDay AND server_id IN asked
      UNION ALL
      SELECT ${clientValue('s', dimension)}, 1 FROM sessions s
      WHERE s.started_at >= @toDay * 86400 AND s.started_at <= @to AND +s.server_id IN asked
      UNION ALL
      SELECT ${clientValue('s', dimension)}, -1 FROM sessions s
      WHERE s.ended_at >= @fromDay * 86400 AND s.ended_at < @from AND +s.server_id IN asked
      UNION ALL
      SELECT ${clientValue('s', dimension)}, 1 FROM sessions s
      WHERE s.ended_at < s.started_at AND s.ended_at < @from AND s.started_at > @to AND +s.server_id IN asked
    )
    GROUP BY value
  )
  SELECT value, users, sessions FROM users JOIN counts USING (value)
  ORDER BY users DESC, sessions DESC, value`;

const DAY = 86400;

/** The day parameters of clientSharesSql. */
export const dayParams = (fromS: number, toS: number): { fromDay: number; toDay: number } => ({
  fromDay: Math.floor(fromS / DAY),
  toDay: Math.floor(toS / DAY),
});
