import Database from 'better-sqlite3';
import type { Db } from '../../store/database';
import { REPORTED_BY_SERVER } from '../../tracker/session-tracker';

/**
 * The exact pool sizes OpenVPN servers reported (their `IFCONFIG POOL` log line), by server name.
 * OpenVPN prints that line once, at start, and its management log cache soon forgets it on a busy
 * server: what was learned once is worth keeping until the server says otherwise.
 */
export function reportedPoolSizes(db: Db): Map<string, number> {
  const rows = db
    .prepare('SELECT name, pool_size AS size FROM servers WHERE pool_size_source = ? AND pool_size IS NOT NULL')
    .all(REPORTED_BY_SERVER) as Array<{ name: string; size: number }>;
  return new Map(rows.map((row) => [row.name, row.size]));
}

/**
 * The same, read from the service's database file without the service: read-only, and empty
 * when there is no database yet (or it cannot be read), so the caller falls back to the config.
 */
export function reportedPoolSizesIn(databasePath: string): Map<string, number> {
  if (databasePath === ':memory:') {
    return new Map();
  }
  let db: Db | undefined;
  try {
    db = new Database(databasePath, { readonly: true, fileMustExist: true });
    return reportedPoolSizes(db);
  } catch {
    return new Map();
  } finally {
    db?.close();
  }
}
