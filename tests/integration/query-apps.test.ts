import { addServer, addSession, at, openTestDatabase, type TestDatabase } from '../support/seed-db';
import { fieldOf, framesFor, valuesOf } from '../support/query-frames';

const t = (hhmm: string): number => at(`2024-03-04T${hhmm}:00Z`);

describe('apps query', () => {
  let store: TestDatabase;
  const range = { from: t('10:00'), to: t('12:00'), now: t('12:00'), intervalS: 1800 };

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const vpnA = addServer(db, 'vpn-a');
    const vpnB = addServer(db, 'vpn-b');
    const connect = { app: 'OpenVPN Connect', clientVersion: '2.6.14' };
    const alice = { serverId: vpnA, user: 'alice', ...connect, appVersion: '3.4.2', platform: 'win' };
    addSession(db, { ...alice, startedAt: t('10:05'), endedAt: t('10:20') });
    addSession(db, { ...alice, startedAt: t('10:10'), endedAt: t('10:50') });
    addSession(db, { ...alice, startedAt: t('11:00'), endedAt: t('11:05') });
    addSession(db, {
      serverId: vpnB,
      user: 'bob',
      ...connect,
      appVersion: '3.5.0',
      platform: 'mac',
      startedAt: t('11:10'),
    });
    addSession(db, { serverId: vpnB, user: 'carol', startedAt: t('09:00'), endedAt: t('10:01') });
    addSession(db, { serverId: vpnA, user: 'dave', app: '', platform: '', startedAt: t('11:40'), endedAt: t('11:45') });
    addSession(db, { serverId: vpnA, user: 'erin', app: 'Tunnelblick', startedAt: t('08:00'), endedAt: t('09:00') });
  });
  afterAll(() => store.close());

  it('tables distinct users and sessions per app, clients that never said counted as unknown', () => {
    const [table] = framesFor(store.db, { queryType: 'apps' }, range);
    expect(table.schema.meta).toEqual({ preferredVisualisationType: 'table' });
    expect(fieldOf(table, 'app').schema).toEqual({ name: 'app', type: 'string', config: { displayName: 'App' } });
    expect(fieldOf(table, 'users').schema.config).toEqual({ unit: 'none', decimals: 0, displayName: 'Users' });
    expect(table.data.values).toEqual([
      ['OpenVPN Connect', 'unknown'],
      [2, 2],
      [4, 2],
    ]);
  });

  it('orders values by users, then sessions', () => {
    const [table] = framesFor(store.db, { queryType: 'apps', dimension: 'platform' }, range);
    expect(fieldOf(table, 'platform').schema.config).toEqual({ displayName: 'Platform' });
    expect(table.data.values).toEqual([
      ['unknown', 'win', 'mac'],
      [2, 1, 1],
      [2, 3, 1],
    ]);
  });

  it('groups by app version and client version', () => {
    const [appVersions] = framesFor(store.db, { queryType: 'apps', dimension: 'app_version' }, range);
    expect(valuesOf(appVersions, 'app_version')).toEqual(['unknown', '3.4.2', '3.5.0']);
    const [clients] = framesFor(store.db, { queryType: 'apps', dimension: 'client_version' }, range);
    expect(clients.data.values).toEqual([
      ['2.6.14', 'unknown'],
      [2, 2],
      [4, 2],
    ]);
  });

  it('filters by server and user', () => {
    const [vpnB] = framesFor(store.db, { queryType: 'apps', server: 'vpn-b' }, range);
    expect(vpnB.data.values).toEqual([
      ['OpenVPN Connect', 'unknown'],
      [1, 1],
      [1, 1],
    ]);
    const [alice] = framesFor(store.db, { queryType: 'apps', user: 'alice' }, range);
    expect(alice.data.values).toEqual([['OpenVPN Connect'], [1], [3]]);
  });

  it('counts a user once per bucket each of their sessions overlaps', () => {
    const frames = framesFor(store.db, { queryType: 'apps', format: 'timeseries' }, range);
    expect(frames.map((frame) => frame.schema.fields[1].labels)).toEqual([
      { app: 'OpenVPN Connect' },
      { app: 'unknown' },
    ]);
    const [connect, unknown] = frames;
    expect(valuesOf(connect, 'time')).toEqual(
      ['10:00', '10:30', '11:00', '11:30', '12:00'].map((hhmm) => t(hhmm) * 1000)
    );
    expect(fieldOf(connect, 'users').schema.config).toEqual({
      unit: 'none',
      decimals: 0,
      displayNameFromDS: 'OpenVPN Connect',
    });
    // alice's two overlapping sessions count once; bob, still connected, counts up to now.
    expect(valuesOf(connect, 'users')).toEqual([1, 1, 2, 1, 1]);
    expect(valuesOf(unknown, 'users')).toEqual([1, 0, 0, 1, 0]);
  });

  it('labels the series with the chosen dimension', () => {
    const frames = framesFor(
      store.db,
      { queryType: 'apps', format: 'timeseries', dimension: 'platform', server: 'vpn-b' },
      range
    );
    expect(frames.map((frame) => frame.schema.fields[1].labels)).toEqual([
      { platform: 'mac' },
      { platform: 'unknown' },
    ]);
    expect(valuesOf(frames[0], 'users')).toEqual([0, 0, 1, 1, 1]);
  });
});
