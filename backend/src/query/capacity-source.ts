import type { Db } from '../store/database';
import { poolsIn } from '../store/pools';
import { prepared } from '../store/prepared';
import { capacityTables } from '../store/series-tables';
import { instantBucketSql, type BucketGrid } from './buckets';
import { serverMatches } from './filters';
import { chooseRollup } from './rollup-choice';

/**
 * The one place that reads pool samples: from the coarsest rollup that still resolves a query's
 * buckets, topped up from the raw `capacity` table where the rollups end (as traffic-source.ts
 * does for traffic).
 */

export interface PoolSample {
  server: string;
  pool: string;
  ts: number;
  used: number;
  size: number | null;
  percent: number | null;
}

/** The server filter as filterParams() binds it. */
export interface PoolFilter {
  server: string | null;
}

/** A pool of unknown size (NULL, or 0 before a server reported one) has no percentage. */
const percentSql = (used: string, size: string): string => `CASE WHEN ${size} > 0 THEN 100.0 * ${used} / ${size} END`;

// A rollup row holds its bucket's busiest sample and largest size, so it stands for the samples it
// replaced; the raw table supplies only what the rollup does not hold yet (from @cut on).
const samplesSql = (rollup: string | null): string => `
  SELECT server_id, pool, ts, used, size FROM capacity
  WHERE ts >= @cut AND ts < @end AND ${serverMatches('server_id')}
  ${rollup ? `UNION ALL SELECT server_id, pool, ts, max_used, size FROM ${rollup} WHERE ts >= @first AND ts < @cut AND ${serverMatches('server_id')}` : ''}`;

// The busiest sample of each bucket: capacity planning cares about the peaks, not the average.
const peaksSql = (rollup: string | null): string => `
  SELECT v.name AS server, b.pool, b.bucket AS ts, b.used, b.size, b.percent
  FROM (SELECT server_id, pool, ${instantBucketSql('ts')} AS bucket, MAX(used) AS used, MAX(size) AS size,
               MAX(${percentSql('used', 'size')}) AS percent
        FROM (${samplesSql(rollup)})
        GROUP BY server_id, pool, bucket) b
  JOIN servers v ON v.id = b.server_id
  ORDER BY v.name, b.pool, b.bucket`;

/** Each pool's busiest sample per bucket of `grid`, ordered by server, pool and time. */
export function poolPeaks(db: Db, grid: BucketGrid, filter: PoolFilter): PoolSample[] {
  const end = grid.last + grid.widthS;
  const rollup = chooseRollup(db, capacityTables, grid.first, end, grid.widthS);
  return prepared(db, peaksSql(rollup?.table ?? null)).all({
    first: grid.first,
    cut: rollup?.cut ?? grid.first,
    end,
    width: grid.widthS,
    ...filter,
  }) as PoolSample[];
}

// Finest first: the latest sample is read from the most precise table that still has one.
const finestFirst = [
  { table: capacityTables.raw, used: 'used' },
  ...[...capacityTables.rollups].reverse().map(({ table }) => ({ table, used: 'max_used' })),
];

const latestSql = (table: string, used: string) => `
  SELECT v.name AS server, c.pool, c.ts, c.${used} AS used, c.size, ${percentSql(`c.${used}`, 'c.size')} AS percent
  FROM ${table} c JOIN servers v ON v.id = c.server_id
  WHERE c.server_id = @serverId AND c.pool = @pool AND c.ts BETWEEN @from AND @to AND ${serverMatches('c.server_id')}
  ORDER BY c.ts DESC LIMIT 1`;

/**
 * Each pool's latest sample in [from, to]: a raw one, or once those are pruned, its latest rollup
 * bucket (the busiest sample of that minute, hour or day, at the bucket's start).
 */
export function latestPoolSamples(db: Db, from: number, to: number, filter: PoolFilter): PoolSample[] {
  // The day rollup is kept longest, so raw and day name every pool.
  const pools = new Map(
    [capacityTables.raw, capacityTables.rollups[0].table]
      .flatMap((table) => poolsIn(db, table))
      .map((pool) => [JSON.stringify(pool), pool])
  );
  const latest: PoolSample[] = [];
  for (const pool of pools.values()) {
    for (const { table, used } of finestFirst) {
      const sample = prepared(db, latestSql(table, used)).get({ from, to, ...filter, ...pool }) as
        PoolSample | undefined;
      if (sample) {
        latest.push(sample);
        break;
      }
    }
  }
  return latest.sort((a, b) => a.server.localeCompare(b.server) || a.pool.localeCompare(b.pool));
}
