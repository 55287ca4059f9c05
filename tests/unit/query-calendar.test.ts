import fc from 'fast-check';
import { nextPeriodStart, periodStart, periodStarts, type CalendarPeriod } from '../../backend/src/query/calendar';

const at = (iso: string): number => Date.parse(iso) / 1000;
const periods: CalendarPeriod[] = ['day', 'week', 'month'];
const instant = fc.integer({ min: 0, max: at('2100-01-01T00:00:00Z') });

describe('calendar periods', () => {
  it('starts weeks on Monday and months on the 1st, in UTC', () => {
    expect(periodStart(at('2024-03-03T23:59:59Z'), 'week')).toBe(at('2024-02-26T00:00:00Z'));
    expect(periodStart(at('2024-03-04T00:00:00Z'), 'week')).toBe(at('2024-03-04T00:00:00Z'));
    expect(periodStart(at('1970-01-01T00:00:00Z'), 'week')).toBe(at('1969-12-29T00:00:00Z'));
    expect(periodStart(at('2024-02-29T12:00:00Z'), 'month')).toBe(at('2024-02-01T00:00:00Z'));
    expect(nextPeriodStart(at('2024-12-01T00:00:00Z'), 'month')).toBe(at('2025-01-01T00:00:00Z'));
  });

  it('lists every period overlapping a range, and only those', () => {
    expect(periodStarts(at('2024-02-15T00:00:00Z'), at('2024-03-01T00:00:01Z'), 'month')).toEqual([
      at('2024-02-01T00:00:00Z'),
      at('2024-03-01T00:00:00Z'),
    ]);
    expect(periodStarts(at('2024-02-15T00:00:00Z'), at('2024-03-01T00:00:00Z'), 'month')).toEqual([
      at('2024-02-01T00:00:00Z'),
    ]);
  });

  it('puts every instant in exactly one period', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...periods), (t, period) => {
        const start = periodStart(t, period);
        const next = nextPeriodStart(start, period);
        expect(start).toBeLessThanOrEqual(t);
        expect(next).toBeGreaterThan(t);
        expect(periodStart(next, period)).toBe(next);
        expect(periodStart(next - 1, period)).toBe(start);
      })
    );
  });

  it('starts every week on a Monday and every month on its first day', () => {
    fc.assert(
      fc.property(instant, (t) => {
        expect(new Date(periodStart(t, 'week') * 1000).getUTCDay()).toBe(1);
        const month = new Date(periodStart(t, 'month') * 1000);
        expect([month.getUTCDate(), month.getUTCHours(), month.getUTCMinutes(), month.getUTCSeconds()]).toEqual([
          1, 0, 0, 0,
        ]);
      })
    );
  });
});
