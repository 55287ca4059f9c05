import path from 'node:path';

/**
 * The interval Grafana sends with a panel's query: its own rangeUtil.calculateInterval (range
 * divided by the panel's maxDataPoints, rounded to a "nice" step, at least the panel's minimum
 * interval). Loaded from @grafana/data's file directly: the package's index touches `window`
 * on load, which Node has not.
 */
type CalculateInterval = (
  range: { from: { valueOf(): number }; to: { valueOf(): number } },
  resolution: number,
  lowLimitInterval?: string
) => { intervalMs: number; interval: string };

const rangeUtilFile = path.join(path.dirname(require.resolve('@grafana/data')), 'datetime', 'rangeutil.cjs');
const { calculateInterval } = require(rangeUtilFile) as { calculateInterval: CalculateInterval };

/** What a ~1,500-pixel-wide panel asks for: a point per pixel. */
export const PANEL_WIDTH_PX = 1500;

export interface DashboardRange {
  label: string;
  /** Unix milliseconds, as Grafana sends them. */
  from: number;
  to: number;
}

const HOUR_MS = 3_600_000;

/** The dashboards' time picker at 24 h, 7 d, 30 d and 365 d ending at `nowS`. */
export function dashboardRanges(nowS: number): DashboardRange[] {
  const to = nowS * 1000;
  return [
    { label: '24 h', from: to - 24 * HOUR_MS, to },
    { label: '7 d', from: to - 7 * 24 * HOUR_MS, to },
    { label: '30 d', from: to - 30 * 24 * HOUR_MS, to },
    { label: '365 d', from: to - 365 * 24 * HOUR_MS, to },
  ];
}

export function panelInterval(range: DashboardRange, resolution: number, minInterval?: string): number {
  return calculateInterval({ from: range.from, to: range.to }, resolution, minInterval).intervalMs;
}
