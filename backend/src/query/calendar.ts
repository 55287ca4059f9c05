/** UTC calendar periods for per-day/week/month totals. Unix seconds throughout. */
export type CalendarPeriod = 'day' | 'week' | 'month';

export const DAY_S = 86_400;

/** The start of the UTC day, ISO week (Monday) or month that holds instant `t`. */
export function periodStart(t: number, period: CalendarPeriod): number {
  const day = Math.floor(t / DAY_S);
  switch (period) {
    case 'day':
      return day * DAY_S;
    case 'week':
      // 1970-01-01 was a Thursday, three days after a Monday.
      return (day - ((((day + 3) % 7) + 7) % 7)) * DAY_S;
    case 'month': {
      const date = new Date(t * 1000);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 1000;
    }
  }
}

export function nextPeriodStart(start: number, period: CalendarPeriod): number {
  switch (period) {
    case 'day':
      return start + DAY_S;
    case 'week':
      return start + 7 * DAY_S;
    case 'month': {
      const date = new Date(start * 1000);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 1000;
    }
  }
}

/** Starts of every period that overlaps [fromS, endS). */
export function periodStarts(fromS: number, endS: number, period: CalendarPeriod): number[] {
  const starts: number[] = [];
  for (let start = periodStart(fromS, period); start < endS; start = nextPeriodStart(start, period)) {
    starts.push(start);
  }
  return starts;
}
