import type { CapacityQuery, DataFrameJSON } from '../contract';
import { capacityTables } from '../store/series-tables';
import { bucketWidth, instantGrid } from './buckets';
import { latestPoolSamples, poolPeaks, type PoolSample } from './capacity-source';
import { filterParams } from './filters';
import { field, frame, millis, series, shown, tableFrame, type Column } from './frames';
import type { QueryContext } from './query-context';
import { storedWidth } from './rollup-choice';
import { runsOf } from './runs';

/**
 * Capacity over time, one frame per server and pool: percent used, or used and size. Buckets follow
 * the panel's interval, widened where only a coarser rollup still holds the range's start.
 */
function capacitySeries(ctx: QueryContext, query: CapacityQuery): DataFrameJSON[] {
  const widthS = storedWidth(ctx.db, capacityTables, ctx.fromS, bucketWidth(ctx));
  const grid = instantGrid(ctx.fromS, Math.min(ctx.toS, ctx.now), widthS);
  const samples = poolPeaks(ctx.db, grid, filterParams(query));
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
    ? [tableFrame(latestPoolSamples(ctx.db, ctx.fromS, ctx.toS, filterParams(query)), tableColumns, 'capacity')]
    : capacitySeries(ctx, query);
}
