import fc from 'fast-check';
import { splitSealed, tiles } from '../../backend/src/query/rollup-choice';
import { trafficTables } from '../../backend/src/store/series-tables';

const at = (iso: string): number => Date.parse(iso) / 1000;
const widthOf = new Map(trafficTables.rollups.map((rollup) => [rollup.table, rollup.widthS]));

describe('tiles of a traffic range', () => {
  it('reads whole days from day rows, the edges from hour and minute rows, and raw after the last rolled-up minute', () => {
    const after = at('2024-03-01T22:59:00Z');
    const until = at('2024-03-05T14:37:30Z');
    const through = at('2024-03-05T14:36:10Z');
    expect(tiles(after, until, trafficTables.rollups, through)).toEqual([
      { table: 'traffic_minute', after, until: at('2024-03-01T23:00:00Z') },
      { table: 'traffic_hour', after: at('2024-03-01T23:00:00Z'), until: at('2024-03-02T00:00:00Z') },
      { table: 'traffic_day', after: at('2024-03-02T00:00:00Z'), until: at('2024-03-05T00:00:00Z') },
      { table: 'traffic_hour', after: at('2024-03-05T00:00:00Z'), until: at('2024-03-05T14:00:00Z') },
      { table: 'traffic_minute', after: at('2024-03-05T14:00:00Z'), until: at('2024-03-05T14:36:00Z') },
      { table: null, after: at('2024-03-05T14:36:00Z'), until },
    ]);
  });

  it('reads raw rows alone while nothing is rolled up', () => {
    expect(tiles(0, 86_400 * 3, trafficTables.rollups, null)).toEqual([{ table: null, after: 0, until: 86_400 * 3 }]);
  });

  it('reads raw rows for a start within a minute', () => {
    expect(tiles(100, 200, trafficTables.rollups, 1_000)).toEqual([
      { table: null, after: 100, until: 120 },
      { table: 'traffic_minute', after: 120, until: 180 },
      { table: null, after: 180, until: 200 },
    ]);
  });

  it('cuts per-user tiles where each table’s sealed rows end', () => {
    const sealedThrough = at('2024-03-05T13:50:00Z');
    const cut = tiles(
      at('2024-02-01T00:00:00Z'),
      at('2024-03-05T14:37:30Z'),
      trafficTables.rollups,
      at('2024-03-05T14:36:10Z')
    );
    expect(splitSealed(cut, trafficTables.rollups, sealedThrough)).toEqual([
      { table: 'traffic_week', after: at('2024-02-01T00:00:00Z'), until: at('2024-02-29T00:00:00Z'), sealed: true },
      { table: 'traffic_day', after: at('2024-02-29T00:00:00Z'), until: at('2024-03-05T00:00:00Z'), sealed: true },
      { table: 'traffic_hour', after: at('2024-03-05T00:00:00Z'), until: at('2024-03-05T13:00:00Z'), sealed: true },
      { table: 'traffic_hour', after: at('2024-03-05T13:00:00Z'), until: at('2024-03-05T14:00:00Z') },
      { table: 'traffic_minute', after: at('2024-03-05T14:00:00Z'), until: at('2024-03-05T14:36:00Z') },
      { table: null, after: at('2024-03-05T14:36:00Z'), until: at('2024-03-05T14:37:30Z') },
    ]);
  });

  it('covers the range exactly once, rollup rows whole and rolled up, for any range and rollup state', () => {
    const day = 86_400;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 * day }),
        fc.integer({ min: 0, max: 40 * day }),
        fc.option(fc.integer({ min: 0, max: 40 * day })),
        (a, b, through) => {
          const [after, until] = a <= b ? [a, b] : [b, a];
          const cut = tiles(after, until, trafficTables.rollups, through);
          let reached = after;
          for (const tile of cut) {
            expect(tile.after).toBe(reached);
            expect(tile.until).toBeGreaterThan(tile.after);
            if (tile.table !== null) {
              const width = widthOf.get(tile.table) as number;
              expect(tile.after % width).toBe(0);
              expect(tile.until % width).toBe(0);
              expect(tile.until).toBeLessThanOrEqual(through as number);
            }
            reached = tile.until;
          }
          expect(reached).toBe(until);
          // Raw rows only where no minute of the range is both whole and rolled up.
          const raw = cut.filter((tile) => tile.table === null);
          expect(
            raw.every((tile) => tile.until - tile.after < 60 || through === null || tile.after >= through - 60)
          ).toBe(true);
        }
      )
    );
  });
});
