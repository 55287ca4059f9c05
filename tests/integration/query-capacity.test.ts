import { addCapacity, addServer, at, openTestDatabase, type TestDatabase } from '../support/seed-db';
import { fieldOf, framesFor, valuesOf } from '../support/query-frames';

const t = (hhmmss: string): number => at(`2024-03-04T${hhmmss}Z`);
const tenMinutes = (...starts: string[]): number[] => starts.map((hhmm) => t(`${hhmm}:00`) * 1000);

/**
 * vpn-a/ipv4 (size 100) is sampled every 10 s, its use climbing by one each minute (0 at 10:00,
 * 59 at 10:59); vpn-a/ipv6 was last sampled at 09:00. vpn-b/ipv4 has no known size, is sampled
 * each minute at 5 in use, and was not sampled between 10:20 and 10:40.
 */
describe('capacity query', () => {
  let store: TestDatabase;
  const hour = { from: t('10:00:00'), to: t('11:00:00'), now: t('11:00:00'), intervalS: 600 };

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const vpnA = addServer(db, 'vpn-a', { poolSize: 100 });
    const vpnB = addServer(db, 'vpn-b');
    db.transaction(() => {
      for (let ts = t('10:00:00'); ts < t('11:00:00'); ts += 10) {
        addCapacity(db, vpnA, 'ipv4', ts, Math.floor((ts - t('10:00:00')) / 60), 100);
      }
      for (let ts = t('10:00:00'); ts < t('11:00:00'); ts += 60) {
        if (ts < t('10:20:00') || ts >= t('10:40:00')) {
          addCapacity(db, vpnB, 'ipv4', ts, 5, null);
        }
      }
    })();
    addCapacity(db, vpnA, 'ipv6', t('09:00:00'), 10, 50);
  });
  afterAll(() => store.close());

  it('gives the peak percentage per bucket, one frame per server and pool', () => {
    const frames = framesFor(store.db, { queryType: 'capacity' }, hour);
    expect(frames.map((frame) => frame.schema.name)).toEqual(['vpn-a ipv4', 'vpn-b ipv4']);
    const [vpnA] = frames;
    expect(fieldOf(vpnA, 'percent').schema).toEqual({
      name: 'percent',
      type: 'number',
      labels: { server: 'vpn-a', pool: 'ipv4' },
      config: { unit: 'percent', min: 0, max: 100, displayNameFromDS: 'vpn-a ipv4' },
    });
    expect(valuesOf(vpnA, 'time')).toEqual(tenMinutes('10:00', '10:10', '10:20', '10:30', '10:40', '10:50'));
    expect(valuesOf(vpnA, 'percent')).toEqual([9, 19, 29, 39, 49, 59]);
  });

  it('has no percentage for a pool of unknown size, and leaves out buckets nobody sampled', () => {
    const [, vpnB] = framesFor(store.db, { queryType: 'capacity' }, hour);
    expect(valuesOf(vpnB, 'time')).toEqual(tenMinutes('10:00', '10:10', '10:40', '10:50'));
    expect(valuesOf(vpnB, 'percent')).toEqual([null, null, null, null]);
  });

  it('gives used and size as counts', () => {
    const [vpnA, vpnB] = framesFor(store.db, { queryType: 'capacity', measure: 'counts' }, hour);
    expect(vpnA.schema.fields.map((f) => f.name)).toEqual(['time', 'used', 'size']);
    expect(fieldOf(vpnA, 'used').schema.config).toEqual({
      unit: 'none',
      decimals: 0,
      displayNameFromDS: 'vpn-a ipv4 used',
    });
    expect(fieldOf(vpnA, 'size').schema.labels).toEqual({ server: 'vpn-a', pool: 'ipv4' });
    expect(valuesOf(vpnA, 'used')).toEqual([9, 19, 29, 39, 49, 59]);
    expect(valuesOf(vpnA, 'size')).toEqual([100, 100, 100, 100, 100, 100]);
    expect(valuesOf(vpnB, 'size')).toEqual([null, null, null, null]);
  });

  it('tables the latest sample in the range of each server and pool', () => {
    const [table] = framesFor(store.db, { queryType: 'capacity', format: 'table' }, hour);
    expect(table.schema.meta).toEqual({ preferredVisualisationType: 'table' });
    expect(table.schema.fields.map((f) => [f.name, f.type, f.config?.unit, f.config?.displayName])).toEqual([
      ['server', 'string', undefined, 'Server'],
      ['pool', 'string', undefined, 'Pool'],
      ['used', 'number', 'none', 'Used'],
      ['size', 'number', 'none', 'Size'],
      ['percent', 'number', 'percent', 'Used %'],
      ['time', 'time', 'dateTimeAsIso', 'Sampled at'],
    ]);
    expect(table.data.values).toEqual([
      ['vpn-a', 'vpn-b'],
      ['ipv4', 'ipv4'],
      [59, 5],
      [100, null],
      [59, null],
      [t('10:59:50') * 1000, t('10:59:00') * 1000],
    ]);
  });

  it('tables a pool last sampled earlier when the range reaches back to it', () => {
    const [table] = framesFor(
      store.db,
      { queryType: 'capacity', format: 'table', server: 'vpn-a' },
      { ...hour, from: t('09:00:00') }
    );
    expect(valuesOf(table, 'pool')).toEqual(['ipv4', 'ipv6']);
    expect(valuesOf(table, 'percent')).toEqual([59, 20]);
  });

  it('filters by server', () => {
    const series = framesFor(store.db, { queryType: 'capacity', server: 'vpn-b' }, hour);
    expect(series.map((frame) => frame.schema.name)).toEqual(['vpn-b ipv4']);
    const [table] = framesFor(store.db, { queryType: 'capacity', format: 'table', server: 'vpn-b' }, hour);
    expect(valuesOf(table, 'server')).toEqual(['vpn-b']);
  });
});
