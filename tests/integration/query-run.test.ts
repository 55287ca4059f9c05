import type { QueryRequest, VpnQuery } from '../../backend/src/contract';
import { runQueries } from '../../backend/src/query/run-query';
import { addServer, addSession, at, openTestDatabase, type TestDatabase } from '../support/seed-db';

describe('runQueries', () => {
  let store: TestDatabase;
  const now = at('2024-03-04T12:00:00Z');

  beforeAll(() => {
    store = openTestDatabase();
    const vpn = addServer(store.db, 'vpn-a', { lastPollAt: now });
    addSession(store.db, {
      serverId: vpn,
      user: 'alice',
      startedAt: at('2024-03-04T11:59:59Z'),
      endedAt: at('2024-03-04T12:00:00Z'),
    });
  });
  afterAll(() => store.close());

  const request = (
    queries: VpnQuery[],
    range = { from: at('2024-03-04T11:00:00Z') * 1000, to: now * 1000 }
  ): QueryRequest => ({
    range,
    intervalMs: 60_000,
    maxDataPoints: 500,
    queries,
  });

  it('answers every query under its refId and stamps the refId on its frames', () => {
    const { results } = runQueries(
      store.db,
      request([
        { refId: 'live', queryType: 'sessions' },
        { refId: 'rate', queryType: 'traffic', groupBy: 'none' },
        { refId: 'pools', queryType: 'capacity', format: 'table' },
        { refId: 'apps', queryType: 'apps' },
        { refId: 'notes', queryType: 'events' },
        { refId: 'who', queryType: 'variable', variable: 'servers' },
      ]),
      now
    );
    expect(Object.keys(results)).toEqual(['live', 'rate', 'pools', 'apps', 'notes', 'who']);
    for (const [refId, result] of Object.entries(results)) {
      expect(result.error).toBeUndefined();
      expect(result.frames.length).toBeGreaterThan(0);
      expect(result.frames.map((frame) => frame.schema.refId)).toEqual(result.frames.map(() => refId));
    }
    expect(results.rate.frames.map((frame) => frame.schema.name)).toEqual(['in', 'out']);
    expect(results.who.frames[0].data.values).toEqual([['vpn-a']]);
  });

  it('reads the range in milliseconds, down to the second that holds each end', () => {
    const justAfterEnd = { from: at('2024-03-04T12:00:00Z') * 1000 + 999, to: at('2024-03-04T12:30:00Z') * 1000 };
    const { results } = runQueries(
      store.db,
      request([{ refId: 'A', queryType: 'sessions', state: 'all' }], justAfterEnd),
      now
    );
    expect(results.A.frames[0].data.values[0]).toEqual(['alice']);
    const justBefore = { from: at('2024-03-04T11:00:00Z') * 1000, to: at('2024-03-04T11:59:59Z') * 1000 - 1 };
    const { results: before } = runQueries(
      store.db,
      request([{ refId: 'A', queryType: 'sessions', state: 'all' }], justBefore),
      now
    );
    expect(before.A.frames[0].data.values[0]).toEqual([]);
  });

  it('reports a failing query under its refId and still answers the others', () => {
    const broken = { refId: 'bad', queryType: 'nonsense' } as unknown as VpnQuery;
    const { results } = runQueries(store.db, request([broken, { refId: 'ok', queryType: 'sessions' }]), now);
    expect(results.bad).toEqual({ frames: [], error: 'unknown queryType {"refId":"bad","queryType":"nonsense"}' });
    expect(results.ok.error).toBeUndefined();
  });
});
