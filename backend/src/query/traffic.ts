import type { DataFrameJSON, TrafficQuery } from '../contract';
import { bucketIndex, bucketStarts, bucketWidth, deltaGrid, knownSeconds } from './buckets';
import { filterParams } from './filters';
import { trafficTables } from '../store/series-tables';
import { storedWidth } from './rollup-choice';
import { millis } from './frames';
import type { QueryContext } from './query-context';
import { busiest, groupTraffic, seriesFrames } from './traffic-groups';
import { lastPollAt, sampleSpacing } from './traffic-source';
import { busiestSlices } from './traffic-ranking';
import { trafficTotalsFrames } from './traffic-totals';

/**
 * Traffic over time: bytes per second (`rate`) or bytes per bucket (`volume`), one series per
 * group and direction. Buckets follow the panel's interval but are never finer than the stored
 * samples, nor than the rollups that still hold the range's start. A bucket in which nothing moved is 0, not null: the tracker writes no row for an idle
 * interval, so zero is the truth, and Grafana draws a drop rather than a line across the lull.
 */
export function trafficFrames(ctx: QueryContext, query: TrafficQuery): DataFrameJSON[] {
  const filters = filterParams(query);
  const knownUntil = Math.min(ctx.now, lastPollAt(ctx.db, filters.server) ?? ctx.now);
  if (query.totals) {
    return trafficTotalsFrames(ctx, query, query.totals, knownUntil);
  }
  const end = Math.min(ctx.toS, knownUntil);
  const groupBy = query.groupBy ?? 'server';
  const widthS = storedWidth(
    ctx.db,
    trafficTables,
    ctx.fromS,
    bucketWidth(ctx, sampleSpacing(ctx.db, ctx.fromS, ctx.toS))
  );
  const grid = deltaGrid(ctx.fromS, end, widthS);
  const starts = bucketStarts(grid);
  if (starts.length === 0) {
    return [];
  }
  const topN = query.topN ?? 0;
  const direction = query.direction ?? 'both';
  const selection = { after: grid.first, until: end, widthS: grid.widthS, groupBy, ...filters };
  const slices = busiestSlices(ctx.db, selection, topN, direction);
  const groups = groupTraffic(slices, groupBy, starts.length, (bucket) => bucketIndex(grid, bucket));
  // The last bucket may be known only up to the last poll; its rate is over the seconds known.
  const rate = (query.unit ?? 'rate') === 'rate';
  return seriesFrames(busiest(groups, topN, direction), {
    query,
    groupBy,
    times: starts.map(millis),
    unit: rate ? 'Bps' : 'bytes',
    valueName: rate ? 'rate' : 'volume',
    value: rate ? (bytes, slot) => bytes / knownSeconds(grid, starts[slot], end) : (bytes) => bytes,
  });
}
