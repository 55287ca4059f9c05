import { MAX_EVENTS } from '../../backend/src/query/events';
import { addEvent, addServer, at, openTestDatabase, type TestDatabase } from '../support/seed-db';
import { framesFor, valuesOf } from '../support/query-frames';

const t = (hhmm: string): number => at(`2024-03-04T${hhmm}:00Z`);

describe('events query', () => {
  let store: TestDatabase;
  const range = { from: t('10:00'), to: t('10:30'), now: t('11:00') };

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const vpnA = addServer(db, 'vpn-a');
    const vpnB = addServer(db, 'vpn-b');
    addEvent(db, { serverId: vpnA, ts: t('09:59'), kind: 'connect', user: 'bob' });
    addEvent(db, { serverId: vpnA, ts: t('10:00'), kind: 'connect', user: 'alice', realAddress: '198.18.0.10:51000' });
    addEvent(db, {
      serverId: vpnB,
      ts: t('10:05'),
      kind: 'auth_failure',
      user: 'mallory',
      realAddress: '198.18.0.66:40000',
      detail: 'bad password',
    });
    addEvent(db, {
      serverId: vpnA,
      ts: t('10:10'),
      kind: 'tls_error',
      realAddress: '198.18.0.77:1194',
      detail: 'TLS handshake failed',
    });
    addEvent(db, { serverId: null, ts: t('10:20'), kind: 'source_down', detail: 'status file unreadable' });
    addEvent(db, { serverId: vpnA, ts: t('10:30'), kind: 'disconnect', user: 'alice' });
  });
  afterAll(() => store.close());

  it('lists the events of the range newest first, shaped for annotations', () => {
    const [frame] = framesFor(store.db, { queryType: 'events' }, range);
    expect(frame.schema.fields.map((f) => [f.name, f.type, f.config?.displayName])).toEqual([
      ['time', 'time', 'Time'],
      ['title', 'string', 'Title'],
      ['text', 'string', 'Text'],
      ['tags', 'other', 'Tags'],
      ['kind', 'string', 'Kind'],
      ['server', 'string', 'Server'],
      ['user', 'string', 'User'],
    ]);
    expect(valuesOf(frame, 'time')).toEqual(
      ['10:30', '10:20', '10:10', '10:05', '10:00'].map((hhmm) => t(hhmm) * 1000)
    );
    expect(valuesOf(frame, 'title')).toEqual([
      'Disconnected',
      'Source down',
      'TLS error',
      'Authentication failed',
      'Connected',
    ]);
    expect(valuesOf(frame, 'text')).toEqual([
      'alice',
      'status file unreadable',
      'from 198.18.0.77:1194: TLS handshake failed',
      'mallory from 198.18.0.66:40000: bad password',
      'alice from 198.18.0.10:51000',
    ]);
    expect(valuesOf(frame, 'tags')).toEqual([
      ['disconnect', 'vpn-a'],
      ['source_down'],
      ['tls_error', 'vpn-a'],
      ['auth_failure', 'vpn-b'],
      ['connect', 'vpn-a'],
    ]);
    expect(valuesOf(frame, 'server')).toEqual(['vpn-a', null, 'vpn-a', 'vpn-b', 'vpn-a']);
    expect(valuesOf(frame, 'user')).toEqual(['alice', null, null, 'mallory', 'alice']);
    expect(frame.schema.meta).toBeUndefined();
  });

  it('keeps only the asked kinds', () => {
    const [frame] = framesFor(store.db, { queryType: 'events', kinds: ['connect', 'disconnect'] }, range);
    expect(valuesOf(frame, 'kind')).toEqual(['disconnect', 'connect']);
    const [all] = framesFor(store.db, { queryType: 'events', kinds: [] }, range);
    expect(valuesOf(all, 'kind')).toHaveLength(5);
  });

  it('keeps the asked kinds of one user', () => {
    const [alice] = framesFor(store.db, { queryType: 'events', user: 'alice', kinds: ['connect', 'tls_error'] }, range);
    expect(valuesOf(alice, 'kind')).toEqual(['connect']);
  });

  it('filters by server and by user', () => {
    const [vpnB] = framesFor(store.db, { queryType: 'events', server: 'vpn-b' }, range);
    expect(valuesOf(vpnB, 'kind')).toEqual(['auth_failure']);
    const [alice] = framesFor(store.db, { queryType: 'events', user: 'alice' }, range);
    expect(valuesOf(alice, 'kind')).toEqual(['disconnect', 'connect']);
  });
});

describe('events query on a flood of events', () => {
  let store: TestDatabase;

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const vpn = addServer(db, 'vpn-a');
    db.transaction(() => {
      for (let i = 0; i <= MAX_EVENTS; i++) {
        addEvent(db, { serverId: vpn, ts: t('10:00') + i, kind: 'auth_failure', user: `user${i}` });
      }
      // Two restarts, one among the flood and one older than all of it; another second's twin
      // of a failure, stored later, comes first among events of the same second.
      addEvent(db, { serverId: vpn, ts: t('10:00') + 100, kind: 'server_restart' });
      addEvent(db, { serverId: vpn, ts: t('09:00'), kind: 'server_restart' });
      addEvent(db, { serverId: vpn, ts: t('10:00') + MAX_EVENTS, kind: 'tls_error', user: 'twin' });
    })();
  });
  afterAll(() => store.close());

  it('keeps the newest events and says that it left some out', () => {
    const [frame] = framesFor(
      store.db,
      { queryType: 'events', kinds: ['auth_failure'] },
      { from: t('10:00'), to: t('12:00'), now: t('12:00') }
    );
    const users = valuesOf(frame, 'user');
    expect(users).toHaveLength(MAX_EVENTS);
    expect(users[0]).toBe(`user${MAX_EVENTS}`);
    expect(users[MAX_EVENTS - 1]).toBe('user1');
    expect(frame.schema.meta?.notices).toEqual([
      { severity: 'warning', text: `Only the newest ${MAX_EVENTS} events are shown; narrow the range or the kinds.` },
    ]);
  });

  it('merges the newest of each asked kind, newest first', () => {
    const [frame] = framesFor(
      store.db,
      { queryType: 'events', kinds: ['server_restart', 'auth_failure', 'tls_error', 'server_restart'] },
      { from: t('09:00'), to: t('12:00'), now: t('12:00') }
    );
    const kinds = valuesOf(frame, 'kind');
    expect(kinds).toHaveLength(MAX_EVENTS);
    expect(valuesOf(frame, 'user').slice(0, 2)).toEqual(['twin', `user${MAX_EVENTS}`]);
    expect(kinds.filter((kind) => kind === 'server_restart')).toHaveLength(1);
    expect(valuesOf(frame, 'time')[MAX_EVENTS - 1]).toBe((t('10:00') + 3) * 1000);
  });
});
