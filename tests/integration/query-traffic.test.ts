import type { DataFrameJSON } from '../../backend/src/contract';
import {
  addPolls,
  addServer,
  addSession,
  addSteadyTraffic,
  addTraffic,
  at,
  openTestDatabase,
  type TestDatabase,
} from '../support/seed-db';
import { fieldOf, framesFor, seriesWith, valuesOf } from '../support/query-frames';

const t = (hhmmss: string): number => at(`2024-03-04T${hhmmss}Z`);
const minutes = (n: number, value: number): number[] => new Array(n).fill(value);
const labelsOf = (frames: DataFrameJSON[]) => frames.map((frame) => frame.schema.fields[1].labels);

/**
 * Polls every 10 s from 10:00 to 11:00; rates are whole numbers of bytes per second:
 * alice (vpn-a) 100 in / 200 out all hour; bob (vpn-a) 50 / 50 until 10:30;
 * carol (vpn-b) 300 / 10, idle from 10:20 to 10:30; dave (vpn-b) 1 / 1, moving 60 bytes once a minute.
 */
describe('traffic query', () => {
  let store: TestDatabase;
  const hour = { from: t('10:00:00'), to: t('11:00:00'), now: t('11:00:00') };

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const vpnA = addServer(db, 'vpn-a', { lastPollAt: t('11:00:00') });
    const vpnB = addServer(db, 'vpn-b', { lastPollAt: t('11:00:00') });
    addPolls(db, vpnA, { from: t('10:00:00'), to: t('11:00:00'), everyS: 10 });
    addPolls(db, vpnB, { from: t('10:00:00'), to: t('11:00:00'), everyS: 10 });
    const started = { startedAt: t('10:00:00') };
    const alice = addSession(db, { serverId: vpnA, user: 'alice', ...started });
    const bob = addSession(db, { serverId: vpnA, user: 'bob', ...started });
    const carol = addSession(db, { serverId: vpnB, user: 'carol', ...started });
    const dave = addSession(db, { serverId: vpnB, user: 'dave', ...started });
    addSteadyTraffic(db, alice, { from: t('10:00:00'), to: t('11:00:00'), everyS: 10 }, 1000, 2000);
    addSteadyTraffic(db, bob, { from: t('10:00:00'), to: t('10:30:00'), everyS: 10 }, 500, 500);
    addSteadyTraffic(db, carol, { from: t('10:00:00'), to: t('10:20:00'), everyS: 10 }, 3000, 100);
    addSteadyTraffic(db, carol, { from: t('10:30:00'), to: t('11:00:00'), everyS: 10 }, 3000, 100);
    addSteadyTraffic(db, dave, { from: t('10:00:00'), to: t('11:00:00'), everyS: 60 }, 60, 60);
  });
  afterAll(() => store.close());

  it('gives bytes per second per server and direction, one labelled frame each', () => {
    const frames = framesFor(store.db, { queryType: 'traffic' }, hour);
    expect(labelsOf(frames)).toEqual([
      { server: 'vpn-a', direction: 'in' },
      { server: 'vpn-a', direction: 'out' },
      { server: 'vpn-b', direction: 'in' },
      { server: 'vpn-b', direction: 'out' },
    ]);
    const vpnAIn = seriesWith(frames, { server: 'vpn-a', direction: 'in' });
    expect(vpnAIn.schema.name).toBe('vpn-a in');
    expect(fieldOf(vpnAIn, 'time').schema.type).toBe('time');
    expect(fieldOf(vpnAIn, 'rate').schema).toEqual({
      name: 'rate',
      type: 'number',
      labels: { server: 'vpn-a', direction: 'in' },
      config: { unit: 'Bps', displayNameFromDS: 'vpn-a in' },
    });
    const times = valuesOf(vpnAIn, 'time');
    expect(times).toHaveLength(60);
    expect(times[0]).toBe(t('10:00:00') * 1000);
    expect(times[59]).toBe(t('10:59:00') * 1000);
    expect(valuesOf(vpnAIn, 'rate')).toEqual([...minutes(30, 150), ...minutes(30, 100)]);
    expect(valuesOf(seriesWith(frames, { server: 'vpn-b', direction: 'in' }), 'rate')).toEqual([
      ...minutes(20, 301),
      ...minutes(10, 1),
      ...minutes(30, 301),
    ]);
  });

  it('fills a bucket in which nothing moved with zero', () => {
    const frames = framesFor(
      store.db,
      { queryType: 'traffic', groupBy: 'user', user: 'carol', direction: 'out' },
      hour
    );
    expect(labelsOf(frames)).toEqual([{ user: 'carol', direction: 'out' }]);
    expect(valuesOf(frames[0], 'rate')).toEqual([...minutes(20, 10), ...minutes(10, 0), ...minutes(30, 10)]);
  });

  it('gives bytes per bucket as volume', () => {
    const [aliceIn] = framesFor(
      store.db,
      { queryType: 'traffic', groupBy: 'user', user: 'alice', unit: 'volume', direction: 'in' },
      hour
    );
    expect(fieldOf(aliceIn, 'volume').schema.config).toEqual({ unit: 'bytes', displayNameFromDS: 'alice in' });
    expect(valuesOf(aliceIn, 'volume')).toEqual(minutes(60, 6000));
  });

  it('counts a poll on the minute towards the minute it closes', () => {
    const [daveIn] = framesFor(
      store.db,
      { queryType: 'traffic', groupBy: 'user', user: 'dave', unit: 'volume', direction: 'in' },
      hour
    );
    // dave's deltas are stamped 10:01:00 ... 11:00:00: each fills exactly one bucket, 10:00 ... 10:59.
    expect(valuesOf(daveIn, 'volume')).toEqual(minutes(60, 60));
  });

  it('never makes buckets finer than the samples, so a steady rate stays flat', () => {
    const tenMinutes = { from: t('10:00:00'), to: t('10:10:00'), now: hour.now, intervalS: 1 };
    const [aliceIn] = framesFor(
      store.db,
      { queryType: 'traffic', groupBy: 'user', user: 'alice', direction: 'in' },
      tenMinutes
    );
    const times = valuesOf(aliceIn, 'time') as number[];
    expect(times[1] - times[0]).toBe(10_000);
    expect(valuesOf(aliceIn, 'rate')).toEqual(minutes(60, 100));
  });

  it('widens buckets so there are no more than maxDataPoints', () => {
    const [aliceIn] = framesFor(
      store.db,
      { queryType: 'traffic', groupBy: 'user', user: 'alice', direction: 'in', unit: 'volume' },
      { ...hour, maxDataPoints: 10 }
    );
    expect(valuesOf(aliceIn, 'time')).toEqual(Array.from({ length: 10 }, (_, i) => (t('10:00:00') + i * 360) * 1000));
    expect(valuesOf(aliceIn, 'volume')).toEqual(minutes(10, 36_000));
  });

  it('ends series at the last poll instead of dropping to zero in time not yet seen', () => {
    const later = { from: t('10:00:00'), to: t('12:00:00'), now: t('11:30:00') };
    const [aliceIn] = framesFor(
      store.db,
      { queryType: 'traffic', groupBy: 'user', user: 'alice', direction: 'in' },
      later
    );
    expect(valuesOf(aliceIn, 'time')).toHaveLength(60);
    expect(valuesOf(aliceIn, 'rate')).toEqual(minutes(60, 100));
  });

  it('rates the bucket still filling over the seconds known so far', () => {
    const midBucket = { from: t('10:00:00'), to: t('11:00:00'), now: t('10:55:00'), intervalS: 600 };
    const [aliceIn] = framesFor(
      store.db,
      { queryType: 'traffic', groupBy: 'user', user: 'alice', direction: 'in' },
      midBucket
    );
    expect(valuesOf(aliceIn, 'time')).toHaveLength(6);
    expect(valuesOf(aliceIn, 'rate')).toEqual(minutes(6, 100));
    const [volume] = framesFor(
      store.db,
      { queryType: 'traffic', groupBy: 'user', user: 'alice', direction: 'in', unit: 'volume' },
      midBucket
    );
    expect(valuesOf(volume, 'volume')).toEqual([...minutes(5, 60_000), 30_000]);
  });

  it('keeps the topN busiest groups in the shown direction, ordered by name', () => {
    const both = framesFor(store.db, { queryType: 'traffic', groupBy: 'user', topN: 2 }, hour);
    expect(labelsOf(both)).toEqual([
      { user: 'alice', direction: 'in' },
      { user: 'alice', direction: 'out' },
      { user: 'carol', direction: 'in' },
      { user: 'carol', direction: 'out' },
    ]);
    const out = framesFor(store.db, { queryType: 'traffic', groupBy: 'user', topN: 2, direction: 'out' }, hour);
    expect(labelsOf(out)).toEqual([
      { user: 'alice', direction: 'out' },
      { user: 'bob', direction: 'out' },
    ]);
  });

  it('sums everyone into one series per direction when not grouped', () => {
    const frames = framesFor(store.db, { queryType: 'traffic', groupBy: 'none' }, hour);
    expect(labelsOf(frames)).toEqual([{ direction: 'in' }, { direction: 'out' }]);
    expect(fieldOf(frames[0], 'rate').schema.config).toEqual({ unit: 'Bps', displayNameFromDS: 'in' });
    expect(valuesOf(frames[0], 'rate')).toEqual([...minutes(20, 451), ...minutes(10, 151), ...minutes(30, 401)]);
    expect(valuesOf(frames[1], 'rate')).toEqual([...minutes(20, 261), ...minutes(10, 251), ...minutes(30, 211)]);
  });

  it('shows zero, not nothing, when no one moved a byte and traffic is not grouped', () => {
    const quiet = { from: at('2024-03-03T10:00:00Z'), to: at('2024-03-03T11:00:00Z'), now: hour.now };
    const frames = framesFor(store.db, { queryType: 'traffic', groupBy: 'none', direction: 'in' }, quiet);
    expect(valuesOf(frames[0], 'rate')).toEqual(minutes(60, 0));
    expect(framesFor(store.db, { queryType: 'traffic', groupBy: 'server' }, quiet)).toEqual([]);
  });

  it('filters by server and by user', () => {
    const vpnB = framesFor(store.db, { queryType: 'traffic', groupBy: 'user', server: 'vpn-b', direction: 'in' }, hour);
    expect(labelsOf(vpnB)).toEqual([
      { user: 'carol', direction: 'in' },
      { user: 'dave', direction: 'in' },
    ]);
    const bob = framesFor(store.db, { queryType: 'traffic', user: 'bob', direction: 'in' }, hour);
    expect(labelsOf(bob)).toEqual([{ server: 'vpn-a', direction: 'in' }]);
    expect(valuesOf(bob[0], 'rate')).toEqual([...minutes(30, 50), ...minutes(30, 0)]);
  });
});

describe('traffic bucket edges', () => {
  let store: TestDatabase;
  const hour = { from: t('10:00:00'), to: t('11:00:00'), now: t('11:00:00') };

  beforeAll(() => {
    store = openTestDatabase();
    const vpn = addServer(store.db, 'vpn-a', { lastPollAt: t('11:00:00') });
    addPolls(store.db, vpn, { from: t('10:00:00'), to: t('11:00:00'), everyS: 10 });
    // A second server polling out of step: 3 s after vpn-a, yet still every 10 s.
    addPolls(store.db, addServer(store.db, 'vpn-b'), { from: t('10:00:03'), to: t('11:00:00'), everyS: 10 });
    const zoe = addSession(store.db, { serverId: vpn, user: 'zoe', startedAt: t('10:00:00') });
    addTraffic(store.db, zoe, t('10:00:00'), 1, 0);
    addTraffic(store.db, zoe, t('10:01:00'), 600, 0);
    addTraffic(store.db, zoe, t('10:30:05'), 70, 0);
    addTraffic(store.db, zoe, t('11:00:00'), 8000, 0);
    addTraffic(store.db, zoe, t('11:00:01'), 90_000, 0);
  });
  afterAll(() => store.close());

  it('puts a delta in the bucket its timestamp closes, edges included', () => {
    const [zoe] = framesFor(store.db, { queryType: 'traffic', direction: 'in', unit: 'volume' }, hour);
    const volume = valuesOf(zoe, 'volume');
    expect(volume).toHaveLength(60);
    // 10:00:00 closes 09:59, before the range; 11:00:01 opens the next hour.
    expect(volume.map((bytes, minute) => [minute, bytes]).filter(([, bytes]) => bytes !== 0)).toEqual([
      [0, 600],
      [30, 70],
      [59, 8000],
    ]);
  });

  it('reads the poll interval of each server, even when servers poll out of step', () => {
    const [zoe] = framesFor(store.db, { queryType: 'traffic', direction: 'in' }, { ...hour, intervalS: 1 });
    const times = valuesOf(zoe, 'time') as number[];
    expect(times[1] - times[0]).toBe(10_000);
    expect(times).toHaveLength(360);
  });
});
