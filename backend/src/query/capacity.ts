import type { CapacityQuery, DataFrameJSON } from '../contract';
import { bucketWidth, instantBucketSql, instantGrid } from './buckets';
import { filterParams, serverMatches } from './filters';
import { field, frame, millis, series, shown, tableFrame, type Column } from './frames';
import type { QueryContext } from './query-context';
import { runsOf } from './runs';
import { prepared } from '../store/prepared';

interface PoolSample {
  server: string;
  pool: string;
  ts: number;
  used: number;
  size: number | null;
  percent: number | null;
}

/** A pool of unknown size (NULL, or 0 before a server reported one) has no percentage. */
const percentSql = (used: string, size: string): string => `CASE WHEN ${size} > 0 THEN 100.0 * ${used} / ${size} END`;

// The busiest sample of each bucket: capacity planning cares about the peaks, not the average.
const bucketedSql = `
  SELECT v.name AS server, b.pool, b.bucket AS ts, b.used, b.size, b.percent
  FROM (SELECT server_id, pool, ${instantBucketSql('ts')} AS bucket, MAX(used) AS used, MAX(size) AS size,
               MAX(${percentSql('used', 'size')}) AS percent
        FROM capacity
        WHERE ts >= @first AND ts < @last + @width AND ${serverMatches('server_id')}
        GROUP BY server_id, pool, bucket) b
  JOIN servers v ON v.id = b.server_id
  ORDER BY v.name, b.pool, b.bucket`;

/** Capacity over time, one frame per server and pool: percent used, or used and size. */
function capacitySeries(ctx: QueryContext, query: CapacityQuery): DataFrameJSON[] {
  const grid = instantGrid(ctx.fromS, Math.min(ctx.toS, ctx.now), bucketWidth(ctx));
  const samples = prepared(ctx.db, bucketedSql).all({
    first: grid.first,
    last: grid.last,
    width: grid.widthS,
    ...filterParams(query),
  }) as PoolSample[];
  // Buckets without a sample are left out rather than filled: a pool's size is a level, not a
  // count of events, and there is no honest value for a moment nobody looked.
  return runsOf(samples, (s) => JSON.stringify([s.server, s.pool])).map((pool) => {
    const { server, pool: name } = pool[0];
    const labels = { server, pool: name };
    const time = field(
      'time',
      'time',
      pool.map((s) => millis(s.ts)),
      { displayName: 'Time' }
    );
    const values =
      (query.measure ?? 'percent') === 'percent'
        ? [
            field(
              'percent',
              'number',
              pool.map((s) => s.percent),
              series(`${server} ${name}`, 'percent'),
              labels
            ),
          ]
        : [
            field(
              'used',
              'number',
              pool.map((s) => s.used),
              series(`${server} ${name} used`, 'count'),
              labels
            ),
            field(
              'size',
              'number',
              pool.map((s) => s.size),
              series(`${server} ${name} size`, 'count'),
              labels
            ),
          ];
    return frame([time, ...values], { name: `${server} ${name}` });
  });
}

// Walking the (server_id, pool, ts) key one pool at a time costs a lookup per pool instead of
// a scan of every sample ever stored.
const nextPoolSql = `
  SELECT server_id AS serverId, pool FROM capacity
  WHERE (server_id, pool) > (@serverId, @pool) ORDER BY server_id, pool LIMIT 1`;

const latestSampleSql = `
  SELECT v.name AS server, c.pool, c.ts, c.used, c.size, ${percentSql('c.used', 'c.size')} AS percent
  FROM capacity c JOIN servers v ON v.id = c.server_id
  WHERE c.server_id = @serverId AND c.pool = @pool AND c.ts BETWEEN @from AND @to AND ${serverMatches('c.server_id')}
  ORDER BY c.ts DESC LIMIT 1`;

function latestSamples(ctx: QueryContext, query: CapacityQuery): PoolSample[] {
  const latest: PoolSample[] = [];
  const params = { from: ctx.fromS, to: ctx.toS, ...filterParams(query) };
  let pool = prepared(ctx.db, nextPoolSql).get({ serverId: -1, pool: '' }) as
    { serverId: number; pool: string } | undefined;
  while (pool) {
    const sample = prepared(ctx.db, latestSampleSql).get({ ...params, ...pool }) as PoolSample | undefined;
    if (sample) {
      latest.push(sample);
    }
    pool = prepared(ctx.db, nextPoolSql).get(pool) as typeof pool;
  }
  return latest.sort((a, b) => a.server.localeCompare(b.server) || a.pool.localeCompare(b.pool));
}

const tableColumns: Array<Column<PoolSample>> = [
  { name: 'server', type: 'string', config: shown('Server'), value: (s) => s.server },
  { name: 'pool', type: 'string', config: shown('Pool'), value: (s) => s.pool },
  { name: 'used', type: 'number', config: shown('Used', 'count'), value: (s) => s.used },
  { name: 'size', type: 'number', config: shown('Size', 'count'), value: (s) => s.size },
  { name: 'percent', type: 'number', config: shown('Used %', 'percent'), value: (s) => s.percent },
  { name: 'time', type: 'time', config: shown('Sampled at', 'dateTimeAsIso'), value: (s) => millis(s.ts) },
];

/** Pool usage per server and pool: over time, or (`table`) the latest sample in the range. */
export function capacityFrames(ctx: QueryContext, query: CapacityQuery): DataFrameJSON[] {
  return (query.format ?? 'timeseries') === 'table'
    ? [tableFrame(latestSamples(ctx, query), tableColumns, 'capacity')]
    : capacitySeries(ctx, query);
}
