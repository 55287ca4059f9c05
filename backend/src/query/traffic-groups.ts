import type { DataFrameJSON, TrafficDirection, TrafficQuery } from '../contract';
import { field, frame, series, type Unit } from './frames';
import type { TrafficGrouping, TrafficSlice } from './traffic-source';

/** One server's, user's, or everyone's bytes, per bucket or calendar period. */
export interface GroupTraffic {
  group: string;
  bytesIn: number[];
  bytesOut: number[];
}

const idle = (group: string, slotCount: number): GroupTraffic => ({
  group,
  bytesIn: new Array(slotCount).fill(0),
  bytesOut: new Array(slotCount).fill(0),
});

/**
 * Spreads slices over `slotCount` slots, zero where a group moved no bytes: the tracker stores
 * no row for an idle interval, so a missing row means zero bytes, not an unknown. Ungrouped
 * traffic is one series even when nothing moved at all.
 */
export function groupTraffic(
  slices: TrafficSlice[],
  groupBy: TrafficGrouping,
  slotCount: number,
  slotOf: (bucket: number) => number
): GroupTraffic[] {
  const groups = new Map<string, GroupTraffic>(groupBy === 'none' ? [['', idle('', slotCount)]] : []);
  for (const [bucket, group, bytesIn, bytesOut] of slices) {
    let traffic = groups.get(group);
    if (!traffic) {
      traffic = idle(group, slotCount);
      groups.set(group, traffic);
    }
    const slot = slotOf(bucket);
    traffic.bytesIn[slot] += bytesIn;
    traffic.bytesOut[slot] += bytesOut;
  }
  return [...groups.values()];
}

export const directionsOf = (direction: TrafficDirection): Array<'in' | 'out'> =>
  direction === 'both' ? ['in', 'out'] : [direction];

const total = (values: number[]): number => values.reduce((sum, value) => sum + value, 0);

const bytesOf = (traffic: GroupTraffic, direction: TrafficDirection): number =>
  (direction === 'out' ? 0 : total(traffic.bytesIn)) + (direction === 'in' ? 0 : total(traffic.bytesOut));

/**
 * The `topN` groups that moved the most bytes in the shown direction(s) (all when topN is 0),
 * then ordered by name: series keep their colours when the ranking shifts between refreshes.
 */
export function busiest(groups: GroupTraffic[], topN: number, direction: TrafficDirection): GroupTraffic[] {
  const ranked =
    topN > 0
      ? [...groups]
          .sort((a, b) => bytesOf(b, direction) - bytesOf(a, direction) || a.group.localeCompare(b.group))
          .slice(0, topN)
      : groups;
  return [...ranked].sort((a, b) => a.group.localeCompare(b.group));
}

export interface SeriesShape {
  query: TrafficQuery;
  groupBy: TrafficGrouping;
  /** Unix milliseconds of every slot. */
  times: number[];
  unit: Unit;
  valueName: string;
  /** The plotted value of a slot from the bytes moved in it. */
  value: (bytes: number, slot: number) => number;
}

/**
 * One frame per group and direction, labelled {server|user, direction}: the shape Grafana's
 * time series panel, legends and per-series overrides expect.
 */
export function seriesFrames(groups: GroupTraffic[], shape: SeriesShape): DataFrameJSON[] {
  const direction = shape.query.direction ?? 'both';
  return groups.flatMap((traffic) =>
    directionsOf(direction).map((way) => {
      const name = shape.groupBy === 'none' ? way : `${traffic.group} ${way}`;
      const labels = shape.groupBy === 'none' ? { direction: way } : { [shape.groupBy]: traffic.group, direction: way };
      const bytes = way === 'in' ? traffic.bytesIn : traffic.bytesOut;
      return frame(
        [
          field('time', 'time', shape.times, { displayName: 'Time' }),
          field(shape.valueName, 'number', bytes.map(shape.value), series(name, shape.unit), labels),
        ],
        { name }
      );
    })
  );
}
