import type { DataFrameJSON, TrafficQuery } from '../contract';
import { DAY_S, nextPeriodStart, periodStart, periodStarts, type CalendarPeriod } from './calendar';
import { filterParams } from './filters';
import { millis } from './frames';
import type { QueryContext } from './query-context';
import { busiest, groupTraffic, seriesFrames } from './traffic-groups';
import { busiestSlices } from './traffic-ranking';

/**
 * Bytes per UTC calendar day, ISO week or month and group, one point per period at its start,
 * for bar charts. Every period the range touches is counted whole (a month bar holds the whole
 * month known so far, even when the range starts mid-month). Totals are volumes whatever `unit`
 * says: a per-month "rate" would be a misleading average.
 */
export function trafficTotalsFrames(
  ctx: QueryContext,
  query: TrafficQuery,
  period: CalendarPeriod,
  knownUntil: number
): DataFrameJSON[] {
  const starts = periodStarts(ctx.fromS, Math.min(ctx.toS, knownUntil), period);
  if (starts.length === 0) {
    return [];
  }
  const groupBy = query.groupBy ?? 'server';
  const slot = new Map(starts.map((start, index) => [start, index]));
  const topN = query.topN ?? 0;
  const direction = query.direction ?? 'both';
  // Whole days fall into whole periods, so the store sums per day and periods gather days.
  const selection = {
    after: starts[0],
    until: Math.min(nextPeriodStart(starts[starts.length - 1], period), knownUntil),
    widthS: DAY_S,
    groupBy,
    ...filterParams(query),
  };
  const slices = busiestSlices(ctx.db, selection, topN, direction);
  const groups = groupTraffic(slices, groupBy, starts.length, (day) => slot.get(periodStart(day, period)) as number);
  return seriesFrames(busiest(groups, topN, direction), {
    query,
    groupBy,
    times: starts.map(millis),
    unit: 'bytes',
    valueName: 'total',
    value: (bytes) => bytes,
  });
}
