import type { Db } from './database';
import { prepared } from './prepared';

/** A pool, as the capacity tables key it. */
export type PoolKey = { serverId: number; pool: string };

/**
 * The pools `table` (a capacity table, keyed (server_id, pool, ts)) holds rows of: two seeks per
 * pool along the key instead of a scan of every sample ever stored. Not one
 * `(server_id, pool) > (?, ?)`: SQLite seeks that on server_id alone and walks the pool's rows.
 */
export function poolsIn(db: Db, table: string): PoolKey[] {
  const samePool = prepared(
    db,
    `SELECT server_id AS serverId, pool FROM ${table} WHERE server_id = @serverId AND pool > @pool ORDER BY pool LIMIT 1`
  );
  const nextServer = prepared(
    db,
    `SELECT server_id AS serverId, pool FROM ${table} WHERE server_id > @serverId ORDER BY server_id, pool LIMIT 1`
  );
  const pools: PoolKey[] = [];
  for (let at: PoolKey = { serverId: Number.MIN_SAFE_INTEGER, pool: '' }; ;) {
    const next = (samePool.get(at) ?? nextServer.get(at)) as PoolKey | undefined;
    if (next === undefined) {
      return pools;
    }
    pools.push(next);
    at = next;
  }
}
