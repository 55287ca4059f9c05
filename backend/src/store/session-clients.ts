/**
 * Schema of the session summaries the apps query reads for long ranges (migration 8; released
 * SQL: never change what this module returns). Triggers on `sessions` keep them, so every writer
 * (tracker, backfill, setClientInfo, retention) keeps them exact without calling anything:
 *
 * - session_clients: each (user, server, client) with its number of sessions, a few thousand rows
 *   for a year of 2,000 users; the apps query asks only these pairs whether a session overlaps.
 * - client_days: per UTC day, server and client, how many sessions started and how many ended
 *   that day. Sessions overlapping [from, to] are those started by `to` less those ended before
 *   `from`, so a year's count is two sums over a few hundred rows per day of history.
 *
 * A client is the four values the apps query groups by, as it shows them ('unknown' for NULL
 * and ''), so that they can be keys.
 */

const CLIENT_COLUMNS = ['app', 'app_version', 'platform', 'client_version'];

/** A client column of the row `row` ('new' or 'old') as the apps query shows it. */
export const clientValue = (row: string, column: string): string => `COALESCE(NULLIF(${row}.${column}, ''), 'unknown')`;

const clientValues = (row: string): string => CLIENT_COLUMNS.map((column) => clientValue(row, column)).join(', ');

const namedClientValues = (row: string): string =>
  CLIENT_COLUMNS.map((column) => `${clientValue(row, column)} AS ${column}`).join(', ');

const clientMatches = (row: string): string =>
  CLIENT_COLUMNS.map((column) => `${column} = ${clientValue(row, column)}`).join(' AND ');

const day = (ts: string): string => `CAST(${ts} AS INTEGER) / 86400`;

const added = (row: string): string => `
  INSERT INTO session_clients (user, server_id, ${CLIENT_COLUMNS.join(', ')}, sessions)
    VALUES (${row}.user, ${row}.server_id, ${clientValues(row)}, 1)
    ON CONFLICT DO UPDATE SET sessions = sessions + 1;
  INSERT INTO client_days (day, server_id, ${CLIENT_COLUMNS.join(', ')}, started, ended)
    VALUES (${day(`${row}.started_at`)}, ${row}.server_id, ${clientValues(row)}, 1, 0)
    ON CONFLICT DO UPDATE SET started = started + 1;
  ${ended(row, '+')}`;

const ended = (row: string, change: '+' | '-'): string => `
  INSERT INTO client_days (day, server_id, ${CLIENT_COLUMNS.join(', ')}, started, ended)
    SELECT ${day(`${row}.ended_at`)}, ${row}.server_id, ${clientValues(row)}, 0, ${change}1
    WHERE ${row}.ended_at IS NOT NULL
    ON CONFLICT DO UPDATE SET ended = ended ${change} 1;`;

// Rows that drop to zero stay (the query skips clients without sessions): deleting them would cost
// every session a statement more, and a new session of the same client would insert them again.
const removed = (row: string): string => `
  UPDATE session_clients SET sessions = sessions - 1
    WHERE user = ${row}.user AND server_id = ${row}.server_id AND ${clientMatches(row)};
  UPDATE client_days SET started = started - 1
    WHERE day = ${day(`${row}.started_at`)} AND server_id = ${row}.server_id AND ${clientMatches(row)};
  ${ended(row, '-')}`;

const KEPT_COLUMNS = ['user', 'server_id', 'started_at', ...CLIENT_COLUMNS];
const changed = (columns: string[]): string =>
  columns.map((column) => `old.${column} IS NOT new.${column}`).join(' OR ');

export const SESSION_CLIENTS_SCHEMA = `
  CREATE TABLE session_clients (
    user TEXT NOT NULL, server_id INTEGER NOT NULL,
    app TEXT NOT NULL, app_version TEXT NOT NULL, platform TEXT NOT NULL, client_version TEXT NOT NULL,
    sessions INTEGER NOT NULL,
    PRIMARY KEY (user, server_id, app, app_version, platform, client_version)
  ) WITHOUT ROWID;
  CREATE TABLE client_days (
    day INTEGER NOT NULL, server_id INTEGER NOT NULL,
    app TEXT NOT NULL, app_version TEXT NOT NULL, platform TEXT NOT NULL, client_version TEXT NOT NULL,
    started INTEGER NOT NULL, ended INTEGER NOT NULL,
    PRIMARY KEY (day, server_id, app, app_version, platform, client_version)
  ) WITHOUT ROWID;
  INSERT INTO session_clients
    SELECT user, server_id, ${clientValues('s')}, COUNT(*) FROM sessions s GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO client_days
    SELECT day, server_id, app, app_version, platform, client_version, SUM(started), SUM(ended) FROM (
      SELECT ${day('s.started_at')} AS day, s.server_id, ${namedClientValues('s')}, 1 AS started, 0 AS ended
      FROM sessions s
      UNION ALL
      SELECT ${day('s.ended_at')}, s.server_id, ${clientValues('s')}, 0, 1 FROM sessions s WHERE s.ended_at IS NOT NULL
    ) GROUP BY 1, 2, 3, 4, 5, 6;
  CREATE TRIGGER session_clients_insert AFTER INSERT ON sessions BEGIN ${added('new')}
  END;
  CREATE TRIGGER session_clients_delete AFTER DELETE ON sessions BEGIN ${removed('old')}
  END;
  CREATE TRIGGER session_clients_update AFTER UPDATE OF ${KEPT_COLUMNS.join(', ')}, ended_at ON sessions
  WHEN ${changed(KEPT_COLUMNS)}
  BEGIN ${removed('old')} ${added('new')}
  END;
  -- The usual update, a session ending, moves one count only.
  CREATE TRIGGER session_clients_end AFTER UPDATE OF ended_at ON sessions
  WHEN old.ended_at IS NOT new.ended_at AND NOT (${changed(KEPT_COLUMNS)})
  BEGIN ${ended('old', '-')} ${ended('new', '+')}
  END;`;
