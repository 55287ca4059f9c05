import fc from 'fast-check';
import { spreadOverHours } from '../../backend/src/tracker/spread-traffic';

describe('spreadOverHours', () => {
  it('splits a session across the hours it lasted, in proportion to the time in each', () => {
    // 10:30 → 12:00 UTC: half an hour in the 10 o'clock hour, a full hour in the 11 o'clock hour
    const start = Date.UTC(2026, 10, 21, 10, 30) / 1000;
    const end = Date.UTC(2026, 10, 21, 12, 0) / 1000;
    expect(spreadOverHours(start, end, 3000, 300)).toEqual([
      { ts: Date.UTC(2026, 10, 21, 11) / 1000, bytesIn: 1000, bytesOut: 100 },
      { ts: end, bytesIn: 2000, bytesOut: 200 },
    ]);
  });

  it('puts a session that ended the second it began into one slice', () => {
    expect(spreadOverHours(100, 100, 7, 8)).toEqual([{ ts: 100, bytesIn: 7, bytesOut: 8 }]);
  });

  it('always sums exactly to the totals, with slices in time order inside the session', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.integer({ min: 0, max: 10 * 86_400 }),
        fc.nat({ max: 2 ** 45 }),
        fc.nat({ max: 2 ** 45 }),
        (start, duration, bytesIn, bytesOut) => {
          const slices = spreadOverHours(start, start + duration, bytesIn, bytesOut);
          expect(slices.reduce((sum, slice) => sum + slice.bytesIn, 0)).toBe(bytesIn);
          expect(slices.reduce((sum, slice) => sum + slice.bytesOut, 0)).toBe(bytesOut);
          slices.forEach((slice, i) => {
            expect(slice.ts).toBeGreaterThanOrEqual(start);
            expect(slice.ts).toBeLessThanOrEqual(start + duration);
            expect(slice.bytesIn).toBeGreaterThanOrEqual(0);
            if (i > 0) {
              expect(slice.ts).toBeGreaterThan(slices[i - 1].ts);
            }
          });
        }
      )
    );
  });
});
