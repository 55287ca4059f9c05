import type { ServerInfo } from '../contract';
import type { Db } from './database';

/** Every known server with its pool and how many sessions are open on it now. */
export function serverSummaries(db: Db): ServerInfo[] {
  return db
    .prepare(
      `SELECT s.name, s.kind, s.pool_size AS poolSize, s.pool_size_source AS poolSizeSource,
              (SELECT COUNT(*) FROM sessions WHERE server_id = s.id AND ended_at IS NULL) AS liveSessions
       FROM servers s ORDER BY s.name`
    )
    .all() as ServerInfo[];
}
