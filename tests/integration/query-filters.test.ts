import type { DataFrameJSON } from '../../backend/src/contract';
import {
  addCapacity,
  addEvent,
  addPolls,
  addServer,
  addSession,
  addSteadyTraffic,
  at,
  openTestDatabase,
  type TestDatabase,
} from '../support/seed-db';
import { framesFor, valuesOf } from '../support/query-frames';

const t = (hhmm: string): number => at(`2024-03-04T${hhmm}:00Z`);
const labelsOf = (frames: DataFrameJSON[]) => frames.map((frame) => frame.schema.fields[1].labels);

/**
 * Grafana sends a multi-value or "All" variable as a comma-separated list (the plugin
 * interpolates with the csv format); every query type takes such a list for server and user.
 */
describe('server and user filters', () => {
  let store: TestDatabase;
  const range = { from: t('10:00'), to: t('11:00'), now: t('11:00') };

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const servers = {
      'vpn-a': addServer(db, 'vpn-a', { poolSize: 10, lastPollAt: t('11:00') }),
      'vpn-b': addServer(db, 'vpn-b', { poolSize: 10, lastPollAt: t('10:30') }),
      'vpn-c': addServer(db, 'vpn-c', { poolSize: 10, lastPollAt: t('10:45') }),
      // pptpd allows a comma in a name nobody would choose, but it must still match exactly
      'lab,old': addServer(db, 'lab,old', { kind: 'pptpd', poolSize: 10, lastPollAt: t('11:00') }),
    };
    const users = { 'vpn-a': 'alice', 'vpn-b': 'bob', 'vpn-c': 'carol', 'lab,old': 'dave' } as const;
    for (const [name, serverId] of Object.entries(servers)) {
      const user = users[name as keyof typeof users];
      const until = name === 'vpn-b' ? t('10:30') : name === 'vpn-c' ? t('10:45') : t('11:00');
      addPolls(db, serverId, { from: t('10:00'), to: until, everyS: 60 }, 1);
      addCapacity(db, serverId, 'ipv6', t('10:00'), 1, null);
      const session = addSession(db, { serverId, user, startedAt: t('09:00'), app: `${user}-app` });
      addSteadyTraffic(db, session, { from: t('10:00'), to: until, everyS: 60 }, 600, 60);
      addEvent(db, { serverId, ts: t('10:10'), kind: 'auth_failure', user });
    }
  });
  afterAll(() => store.close());

  const sessionUsers = (filters: { server?: string; user?: string }) =>
    valuesOf(framesFor(store.db, { queryType: 'sessions', ...filters }, range)[0], 'user');

  it('takes one exact server name, as before', () => {
    expect(sessionUsers({ server: 'vpn-b' })).toEqual(['bob']);
  });

  it('takes a comma-separated list of servers or users, spaces around names allowed', () => {
    expect(sessionUsers({ server: 'vpn-a,vpn-b' }).sort()).toEqual(['alice', 'bob']);
    expect(sessionUsers({ user: 'alice, carol' }).sort()).toEqual(['alice', 'carol']);
    expect(sessionUsers({ server: 'vpn-a,vpn-c', user: 'carol,dave' })).toEqual(['carol']);
  });

  it('matches a name that contains a comma as a whole, and names nobody has as nothing', () => {
    expect(sessionUsers({ server: 'lab,old' })).toEqual(['dave']);
    expect(sessionUsers({ server: 'vpn-a,vpn-z' })).toEqual(['alice']);
    expect(sessionUsers({ server: 'vpn-z' })).toEqual([]);
  });

  it('gives traffic series of the listed servers only, known up to the latest of their polls', () => {
    const frames = framesFor(store.db, { queryType: 'traffic', direction: 'in', server: 'vpn-b,vpn-c' }, range);
    expect(labelsOf(frames)).toEqual([
      { server: 'vpn-b', direction: 'in' },
      { server: 'vpn-c', direction: 'in' },
    ]);
    // vpn-c was polled until 10:45, so the series end with the 10:44 minute, not at 11:00
    const times = valuesOf(frames[0], 'time');
    expect(times).toHaveLength(45);
    expect(times[times.length - 1]).toBe(t('10:44') * 1000);
    expect(valuesOf(frames[1], 'rate')).toEqual(new Array(45).fill(10));
  });

  it('gives per-user totals of the listed users only', () => {
    const frames = framesFor(
      store.db,
      { queryType: 'traffic', totals: 'day', groupBy: 'user', direction: 'out', user: 'alice,dave' },
      range
    );
    expect(labelsOf(frames)).toEqual([
      { user: 'alice', direction: 'out' },
      { user: 'dave', direction: 'out' },
    ]);
    expect(frames.map((frame) => valuesOf(frame, 'total'))).toEqual([[3600], [3600]]);
  });

  it('gives pool usage of the listed servers, over time and as a table', () => {
    const series = framesFor(store.db, { queryType: 'capacity', server: 'vpn-a,vpn-c' }, range);
    expect(series.map((frame) => frame.schema.name)).toEqual(['vpn-a ipv4', 'vpn-a ipv6', 'vpn-c ipv4', 'vpn-c ipv6']);
    const [table] = framesFor(store.db, { queryType: 'capacity', format: 'table', server: 'vpn-b,vpn-c' }, range);
    expect(valuesOf(table, 'server')).toEqual(['vpn-b', 'vpn-b', 'vpn-c', 'vpn-c']);
  });

  it('filters apps, events and variable values by lists too', () => {
    const [apps] = framesFor(store.db, { queryType: 'apps', user: 'bob,carol' }, range);
    expect(valuesOf(apps, 'app')).toEqual(['bob-app', 'carol-app']);
    const [events] = framesFor(store.db, { queryType: 'events', server: 'vpn-a,vpn-c', user: 'carol' }, range);
    expect(valuesOf(events, 'user')).toEqual(['carol']);
    const [users] = framesFor(store.db, { queryType: 'variable', variable: 'users', server: 'vpn-b,vpn-c' }, range);
    expect(valuesOf(users, 'value')).toEqual(['bob', 'carol']);
  });
});
