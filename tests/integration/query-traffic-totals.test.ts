import type { DataFrameJSON } from '../../backend/src/contract';
import { addServer, addSession, addTraffic, at, openTestDatabase, type TestDatabase } from '../support/seed-db';
import { fieldOf, framesFor, seriesWith, valuesOf } from '../support/query-frames';

const ms = (iso: string): number => at(iso) * 1000;
const labelsOf = (frames: DataFrameJSON[]) => frames.map((frame) => frame.schema.fields[1].labels);

/** Deltas placed on both sides of day, ISO-week (Monday) and month boundaries of early 2024 (a leap year). */
describe('traffic totals per calendar period', () => {
  let store: TestDatabase;
  const now = at('2024-03-12T00:00:00Z');

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const vpnA = addServer(db, 'vpn-a', { lastPollAt: now });
    const vpnB = addServer(db, 'vpn-b', { lastPollAt: now });
    const alice = addSession(db, { serverId: vpnA, user: 'alice', startedAt: at('2024-02-28T00:00:00Z') });
    const bob = addSession(db, { serverId: vpnA, user: 'bob', startedAt: at('2024-03-05T00:00:00Z') });
    const carol = addSession(db, { serverId: vpnB, user: 'carol', startedAt: at('2024-03-02T00:00:00Z') });
    const deltas: Array<[number, string, number]> = [
      [alice, '2024-02-28T12:00:00Z', 100],
      [alice, '2024-02-29T23:59:50Z', 200],
      [alice, '2024-03-01T00:00:00Z', 400], // closes Thursday 29 February
      [alice, '2024-03-01T00:00:10Z', 800],
      [alice, '2024-03-03T23:00:00Z', 1600], // Sunday
      [alice, '2024-03-04T00:00:00Z', 3200], // closes Sunday 3 March
      [alice, '2024-03-04T00:00:01Z', 6400], // Monday
      [alice, '2024-03-10T12:00:00Z', 12_800], // Sunday of the same ISO week
      [bob, '2024-03-05T10:00:00Z', 50_000],
      [carol, '2024-03-02T10:00:00Z', 7],
    ];
    for (const [session, iso, bytesIn] of deltas) {
      addTraffic(db, session, at(iso), bytesIn, bytesIn / 100);
    }
  });
  afterAll(() => store.close());

  it('totals each whole UTC day the range touches, a delta at midnight closing the day before', () => {
    const range = { from: at('2024-02-29T06:00:00Z'), to: at('2024-03-04T18:00:00Z'), now };
    const frames = framesFor(
      store.db,
      { queryType: 'traffic', totals: 'day', groupBy: 'user', direction: 'in' },
      range
    );
    expect(labelsOf(frames)).toEqual([
      { user: 'alice', direction: 'in' },
      { user: 'carol', direction: 'in' },
    ]);
    const alice = seriesWith(frames, { user: 'alice', direction: 'in' });
    expect(valuesOf(alice, 'time')).toEqual(
      ['2024-02-29', '2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04'].map((day) => ms(`${day}T00:00:00Z`))
    );
    expect(valuesOf(alice, 'total')).toEqual([600, 800, 0, 4800, 6400]);
    expect(valuesOf(seriesWith(frames, { user: 'carol', direction: 'in' }), 'total')).toEqual([0, 0, 7, 0, 0]);
  });

  it('totals ISO weeks from Monday, counting the whole of the last week', () => {
    const range = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-08T00:00:00Z'), now };
    const frames = framesFor(
      store.db,
      { queryType: 'traffic', totals: 'week', groupBy: 'user', direction: 'both' },
      range
    );
    const aliceIn = seriesWith(frames, { user: 'alice', direction: 'in' });
    expect(valuesOf(aliceIn, 'time')).toEqual([ms('2024-02-26T00:00:00Z'), ms('2024-03-04T00:00:00Z')]);
    expect(valuesOf(aliceIn, 'total')).toEqual([6300, 19_200]);
    expect(valuesOf(seriesWith(frames, { user: 'alice', direction: 'out' }), 'total')).toEqual([63, 192]);
    expect(valuesOf(seriesWith(frames, { user: 'bob', direction: 'in' }), 'total')).toEqual([0, 50_000]);
  });

  it('totals calendar months, leap day included, per server', () => {
    const range = { from: at('2024-02-15T00:00:00Z'), to: at('2024-03-02T00:00:00Z'), now };
    const frames = framesFor(store.db, { queryType: 'traffic', totals: 'month', direction: 'in' }, range);
    expect(labelsOf(frames)).toEqual([
      { server: 'vpn-a', direction: 'in' },
      { server: 'vpn-b', direction: 'in' },
    ]);
    expect(valuesOf(frames[0], 'time')).toEqual([ms('2024-02-01T00:00:00Z'), ms('2024-03-01T00:00:00Z')]);
    expect(valuesOf(frames[0], 'total')).toEqual([700, 74_800]);
    expect(valuesOf(frames[1], 'total')).toEqual([0, 7]);
  });

  it('reports totals as bytes even when the query asks for a rate', () => {
    const range = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-02T00:00:00Z'), now };
    const [frame] = framesFor(
      store.db,
      { queryType: 'traffic', totals: 'day', unit: 'rate', groupBy: 'none', direction: 'in' },
      range
    );
    expect(fieldOf(frame, 'total').schema).toEqual({
      name: 'total',
      type: 'number',
      labels: { direction: 'in' },
      config: { unit: 'bytes', displayNameFromDS: 'in' },
    });
    // The range ends on the stroke of midnight, so it touches only 1 March.
    expect(valuesOf(frame, 'total')).toEqual([800]);
  });

  it('keeps the busiest groups over the whole periods', () => {
    const range = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-02T00:00:00Z'), now };
    const frames = framesFor(
      store.db,
      { queryType: 'traffic', totals: 'month', groupBy: 'user', topN: 1, direction: 'in' },
      range
    );
    expect(labelsOf(frames)).toEqual([{ user: 'bob', direction: 'in' }]);
  });

  it('counts the current period only up to now', () => {
    const range = { from: at('2024-03-01T00:00:00Z'), to: at('2024-03-04T12:00:00Z'), now: at('2024-03-05T00:00:00Z') };
    const frames = framesFor(
      store.db,
      { queryType: 'traffic', totals: 'month', groupBy: 'user', direction: 'in' },
      range
    );
    // bob's 50 000 bytes on 5 March are after now.
    expect(labelsOf(frames)).toEqual([
      { user: 'alice', direction: 'in' },
      { user: 'carol', direction: 'in' },
    ]);
    expect(valuesOf(frames[0], 'total')).toEqual([12_000]);
  });
});
