import fc from 'fast-check';
import { bucketIndex, bucketStarts, bucketWidth, deltaGrid, instantGrid } from '../../backend/src/query/buckets';
import type { QueryContext } from '../../backend/src/query/query-context';
import type { Db } from '../../backend/src/store/database';

const context = (fromS: number, toS: number, intervalS: number, maxDataPoints: number): QueryContext => ({
  db: {} as Db,
  fromS,
  toS,
  intervalS,
  maxDataPoints,
  now: toS,
});

const request = fc
  .record({
    fromS: fc.integer({ min: 1, max: 4_000_000_000 }),
    lengthS: fc.integer({ min: 1, max: 400 * 86_400 }),
    intervalS: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 86_400, noNaN: true })),
    maxDataPoints: fc.integer({ min: 1, max: 100_000 }),
    spacingS: fc.integer({ min: 1, max: 3600 }),
  })
  .map((r) => ({ ...r, ctx: context(r.fromS, r.fromS + r.lengthS, r.intervalS, r.maxDataPoints) }));

describe('bucket grids', () => {
  it('uses the panel interval unless the samples or maxDataPoints need wider buckets', () => {
    const hour = context(36_000, 39_600, 60, 1000);
    expect(bucketWidth(hour)).toBe(60);
    expect(bucketWidth(hour, 10)).toBe(60);
    expect(bucketWidth({ ...hour, intervalS: 1 }, 10)).toBe(10);
    expect(bucketWidth({ ...hour, maxDataPoints: 10 }, 10)).toBe(360);
    expect(bucketWidth({ ...hour, intervalS: 0.5 })).toBe(4);
  });

  it('never makes more buckets than maxDataPoints allows, nor finer ones than the samples', () => {
    fc.assert(
      fc.property(request, ({ ctx, spacingS }) => {
        const width = bucketWidth(ctx, spacingS);
        expect(Number.isInteger(width)).toBe(true);
        expect(width).toBeGreaterThanOrEqual(spacingS);
        expect(bucketStarts(deltaGrid(ctx.fromS, ctx.toS, width)).length).toBeLessThanOrEqual(ctx.maxDataPoints + 1);
        expect(bucketStarts(instantGrid(ctx.fromS, ctx.toS, width)).length).toBeLessThanOrEqual(ctx.maxDataPoints + 1);
      })
    );
  });

  it('finds a bucket of the grid for every delta stamped inside the range', () => {
    fc.assert(
      fc.property(request, fc.double({ min: 0, max: 1, noNaN: true }), ({ ctx, spacingS }, where) => {
        const grid = deltaGrid(ctx.fromS, ctx.toS, bucketWidth(ctx, spacingS));
        const ts = ctx.fromS + 1 + Math.floor(where * (ctx.toS - ctx.fromS - 1));
        const start = ts - 1 - ((ts - 1) % grid.widthS);
        const index = bucketIndex(grid, start);
        expect(Number.isInteger(index)).toBe(true);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(bucketStarts(grid).length);
      })
    );
  });
});
