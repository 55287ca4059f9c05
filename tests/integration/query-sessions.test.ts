import { addServer, addSession, at, openTestDatabase, type TestDatabase } from '../support/seed-db';
import { fieldOf, framesFor, valuesOf } from '../support/query-frames';

describe('sessions query', () => {
  let store: TestDatabase;
  const now = at('2024-03-04T12:00:00Z');
  const range = { from: at('2024-03-04T09:00:00Z'), to: now, now };

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const vpnA = addServer(db, 'vpn-a');
    const vpnB = addServer(db, 'vpn-b');
    addSession(db, {
      serverId: vpnA,
      user: 'alice',
      startedAt: at('2024-03-04T10:00:00Z'),
      lastSeen: at('2024-03-04T11:59:50Z'),
      bytesIn: 7_190_000,
      bytesOut: 14_380_000,
      realAddress: '198.18.0.10:51000',
      virtualIpv4: '198.19.0.2',
      virtualIpv6: '2001:db8::1000',
      cipher: 'AES-256-GCM',
      app: 'OpenVPN Connect',
      appVersion: '3.4.2',
      platform: 'win',
      clientVersion: '2.6.14',
    });
    addSession(db, {
      serverId: vpnB,
      user: 'carol',
      startedAt: at('2024-03-04T11:00:00Z'),
      realAddress: '198.18.0.30:40000',
    });
    addSession(db, {
      serverId: vpnA,
      user: 'bob',
      startedAt: at('2024-03-04T08:00:00Z'),
      endedAt: at('2024-03-04T09:00:00Z'),
      bytesIn: 3600,
      bytesOut: 7200,
      endReason: 'vanished',
    });
    addSession(db, {
      serverId: vpnA,
      user: 'dave',
      startedAt: at('2024-03-04T06:00:00Z'),
      endedAt: at('2024-03-04T08:59:59Z'),
    });
    addSession(db, { serverId: vpnB, user: 'erin', startedAt: now, endedAt: at('2024-03-04T12:10:00Z') });
    addSession(db, { serverId: vpnB, user: 'frank', startedAt: at('2024-03-04T12:00:01Z') });
  });
  afterAll(() => store.close());

  it('lists live sessions newest first, whatever the range', () => {
    const [frame] = framesFor(
      store.db,
      { queryType: 'sessions' },
      { from: at('2024-01-01T00:00:00Z'), to: at('2024-01-02T00:00:00Z'), now }
    );
    expect(valuesOf(frame, 'user')).toEqual(['frank', 'carol', 'alice']);
    expect(valuesOf(frame, 'ended')).toEqual([null, null, null]);
  });

  it('shows every column of a session with its unit and header', () => {
    const [frame] = framesFor(store.db, { queryType: 'sessions', user: 'alice' }, range);
    const row = Object.fromEntries(frame.schema.fields.map((f, i) => [f.name, frame.data.values[i][0]]));
    expect(row).toEqual({
      user: 'alice',
      server: 'vpn-a',
      real_address: '198.18.0.10:51000',
      virtual_ipv4: '198.19.0.2',
      virtual_ipv6: '2001:db8::1000',
      since: at('2024-03-04T10:00:00Z') * 1000,
      ended: null,
      duration: 7200,
      bytes_in: 7_190_000,
      bytes_out: 14_380_000,
      avg_rate_in: 1000,
      avg_rate_out: 2000,
      app: 'OpenVPN Connect',
      app_version: '3.4.2',
      platform: 'win',
      client_version: '2.6.14',
      cipher: 'AES-256-GCM',
      end_reason: null,
      session_id: expect.any(Number),
    });
    expect(fieldOf(frame, 'since').schema).toEqual({
      name: 'since',
      type: 'time',
      config: { unit: 'dateTimeAsIso', displayName: 'Since' },
    });
    expect(fieldOf(frame, 'duration').schema.config).toEqual({ unit: 's', displayName: 'Duration' });
    expect(fieldOf(frame, 'bytes_in').schema.config).toEqual({ unit: 'bytes', displayName: 'Bytes in' });
    expect(fieldOf(frame, 'avg_rate_out').schema.config).toEqual({ unit: 'Bps', displayName: 'Avg rate out' });
    expect(fieldOf(frame, 'real_address').schema).toEqual({
      name: 'real_address',
      type: 'string',
      config: { displayName: 'Real address' },
    });
    expect(frame.schema.meta).toEqual({ preferredVisualisationType: 'table' });
    expect(frame.schema.refId).toBe('A');
  });

  it('has no average rate for a session not yet seen after it started', () => {
    const [frame] = framesFor(store.db, { queryType: 'sessions', user: 'carol' }, range);
    expect(valuesOf(frame, 'avg_rate_in')).toEqual([null]);
    expect(valuesOf(frame, 'duration')).toEqual([3600]);
  });

  it('lists every session overlapping the range, edges included, when state is all', () => {
    const [frame] = framesFor(store.db, { queryType: 'sessions', state: 'all' }, range);
    expect(valuesOf(frame, 'user')).toEqual(['erin', 'carol', 'alice', 'bob']);
    expect(valuesOf(frame, 'ended')).toEqual([
      at('2024-03-04T12:10:00Z') * 1000,
      null,
      null,
      at('2024-03-04T09:00:00Z') * 1000,
    ]);
    expect(valuesOf(frame, 'duration')).toEqual([600, 3600, 7200, 3600]);
    expect(valuesOf(frame, 'end_reason')).toEqual([null, null, null, 'vanished']);
  });

  it('filters by server and by user', () => {
    const [byServer] = framesFor(store.db, { queryType: 'sessions', state: 'all', server: 'vpn-b' }, range);
    expect(valuesOf(byServer, 'user')).toEqual(['erin', 'carol']);
    const [byUser] = framesFor(store.db, { queryType: 'sessions', state: 'all', user: 'bob' }, range);
    expect(valuesOf(byUser, 'user')).toEqual(['bob']);
    const [both] = framesFor(store.db, { queryType: 'sessions', state: 'all', server: 'vpn-b', user: 'bob' }, range);
    expect(valuesOf(both, 'user')).toEqual([]);
  });

  it('treats an empty filter as no filter and an unknown server as no sessions', () => {
    const [empty] = framesFor(store.db, { queryType: 'sessions', server: '', user: '' }, range);
    expect(valuesOf(empty, 'user')).toHaveLength(3);
    const [unknown] = framesFor(store.db, { queryType: 'sessions', server: 'nowhere' }, range);
    expect(unknown.schema.fields).toHaveLength(19);
    expect(valuesOf(unknown, 'user')).toEqual([]);
  });
});
