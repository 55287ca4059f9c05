/**
 * The PromQL a Grafana panel on the Prometheus data source would run for each vpnscope traffic
 * panel, over the counters of openmetrics-export.ts. Where PromQL cannot say the same thing, the
 * nearest query is used and `differs` says how it differs.
 */
import type { TrafficQuery } from '../../backend/src/contract';
import { periodStart } from '../../backend/src/query/calendar';
import type { DashboardRequest } from './dashboard-requests';
import { PANEL_WIDTH_PX, panelInterval, type DashboardRange } from './grafana-interval';
import type { RangeQuery } from './prometheus-server';

const HOUR = 3600;
const DAY = 86_400;
/** The TSDB holds a sample per hour, so Grafana's data source is set to a 1 h scrape interval. */
const SCRAPE_S = HOUR;

export interface Equivalent extends RangeQuery {
  differs: string;
}

/** Grafana's $__rate_interval: max(interval + scrape interval, 4 × scrape interval). */
const rateInterval = (stepS: number): number => Math.max(stepS + SCRAPE_S, 4 * SCRAPE_S);

/** In and out as one result, out marked with a `direction` label (PromQL has no "both"). */
function bothDirections(expression: (direction: 'in' | 'out') => string): string {
  return `${expression('in')} or label_replace(${expression('out')}, "direction", "out", "", "")`;
}

const userFilter = (query: TrafficQuery): string => (query.user ? `{user=${JSON.stringify(query.user)}}` : '');

export function promqlFor(request: DashboardRequest, range: DashboardRange, endS: number): Equivalent | null {
  const query = request.queries[0];
  if (request.kind !== 'panel' || query.queryType !== 'traffic') {
    return null;
  }
  const fromS = range.from / 1000;
  if (query.totals) {
    const stepS = { day: DAY, week: 7 * DAY, month: 30 * DAY }[query.totals];
    const by = query.groupBy === 'server' ? 'server' : 'user';
    const metric = query.groupBy === 'user' ? 'vpnscope_user_bytes' : 'vpnscope_bytes';
    return {
      query: bothDirections((d) => `sum by (${by}) (increase(${metric}_${d}_total${userFilter(query)}[${stepS}s]))`),
      // each evaluation sums the period that ends there: from the end of the first period (or,
      // when the range ends before that, once at its end over the last period's length)
      start: Math.min(
        endS,
        (query.totals === 'month' ? periodStart(fromS, 'day') : periodStart(fromS, query.totals)) + stepS
      ),
      end: endS,
      stepS,
      differs:
        query.totals === 'month'
          ? 'months are 30-day windows (PromQL has no calendar months), ending at whole days up to now'
          : `${query.totals}s end at their boundaries up to now, so the current ${query.totals} is missing (a range shorter than a ${query.totals}: one ${query.totals}-long window ending now)`,
    };
  }
  const stepS = panelInterval(range, PANEL_WIDTH_PX) / 1000;
  const windowS = rateInterval(stepS);
  const start = Math.floor(fromS / stepS) * stepS;
  const smoothed = `rates over ${windowS / HOUR} h windows ($__rate_interval at a 1 h scrape), not per ${stepS} s bucket`;
  if (query.groupBy === 'server') {
    return {
      query: bothDirections((d) => `sum by (server) (rate(vpnscope_bytes_${d}_total[${windowS}s]))`),
      start,
      end: endS,
      stepS,
      differs: smoothed,
    };
  }
  if (query.topN) {
    const rangeS = (range.to - range.from) / 1000;
    const total = (d: string) => `sum by (user) (increase(vpnscope_user_bytes_${d}_total[${rangeS}s] @ end()))`;
    const top = `topk(${query.topN}, ${total('in')} + ${total('out')})`;
    return {
      query: `(${bothDirections((d) => `sum by (user) (increase(vpnscope_user_bytes_${d}_total[${windowS}s]))`)}) and on (user) ${top}`,
      start,
      end: endS,
      stepS,
      differs: `volumes over ${windowS / HOUR} h windows, not per ${stepS} s bucket; the top ${query.topN} by range total (@ end())`,
    };
  }
  return {
    query: bothDirections(
      (d) => `sum by (user) (rate(vpnscope_user_bytes_${d}_total${userFilter(query)}[${windowS}s]))`
    ),
    start,
    end: endS,
    stepS,
    differs: smoothed,
  };
}
