import fc from 'fast-check';
import type { DataQuery } from '@grafana/schema';
import { migrateQuery, migrateVariableQuery, toBackendQuery } from './migrate';

const saved = (fields: Record<string, unknown>) => ({ refId: 'A', ...fields }) as DataQuery;

describe('migrateQuery', () => {
  it('turns a query without a kind into live sessions', () => {
    expect(migrateQuery(saved({}))).toEqual({ refId: 'A', queryType: 'sessions', state: 'live' });
  });

  it('turns an unknown kind into sessions, keeping the filters', () => {
    expect(migrateQuery(saved({ queryType: 'bandwidth', server: 'vpn1', user: 'alice' }))).toEqual({
      refId: 'A',
      server: 'vpn1',
      user: 'alice',
      queryType: 'sessions',
      state: 'live',
    });
  });

  it('fills every option of a kind with its default', () => {
    expect(migrateQuery(saved({ queryType: 'traffic' }))).toEqual({
      refId: 'A',
      queryType: 'traffic',
      unit: 'rate',
      direction: 'both',
      groupBy: 'server',
      topN: 0,
    });
    expect(migrateQuery(saved({ queryType: 'capacity' }))).toEqual({
      refId: 'A',
      queryType: 'capacity',
      format: 'timeseries',
      measure: 'percent',
    });
    expect(migrateQuery(saved({ queryType: 'apps' }))).toEqual({
      refId: 'A',
      queryType: 'apps',
      dimension: 'app',
      format: 'table',
    });
    expect(migrateQuery(saved({ queryType: 'events' }))).toEqual({ refId: 'A', queryType: 'events', kinds: [] });
  });

  it('replaces option values it does not know with the defaults and keeps the ones it knows', () => {
    const query = migrateQuery(
      saved({ queryType: 'traffic', unit: 'bits', direction: 'out', groupBy: 'pool', totals: 'year' })
    );
    expect(query).toEqual({
      refId: 'A',
      queryType: 'traffic',
      unit: 'rate',
      direction: 'out',
      groupBy: 'server',
      topN: 0,
    });
  });

  it.each([
    ['5', 5],
    [' 12 ', 12],
    [7.6, 8],
    ['5000', 1000],
    ['ten', 0],
    [-3, 0],
    ['', 0],
    [null, 0],
  ])('reads topN %p as %p', (topN, expected) => {
    expect(migrateQuery(saved({ queryType: 'traffic', topN }))).toMatchObject({ topN: expected });
  });

  it('keeps totals per day, week or month', () => {
    expect(migrateQuery(saved({ queryType: 'traffic', totals: 'week' }))).toMatchObject({ totals: 'week' });
  });

  it('reads event kinds saved as text, dropping unknown and repeated kinds', () => {
    expect(migrateQuery(saved({ queryType: 'events', kinds: 'auth_failure, reboot,connect,connect' }))).toEqual({
      refId: 'A',
      queryType: 'events',
      kinds: ['connect', 'auth_failure'],
    });
    expect(migrateQuery(saved({ queryType: 'events', kinds: ['server_restart', 7, 'server_restart'] }))).toMatchObject({
      kinds: ['server_restart'],
    });
  });

  it("keeps Grafana's own fields and drops fields no kind knows", () => {
    const datasource = { type: 'vpnscope-vpnscope-datasource', uid: 'x' };
    expect(
      migrateQuery(saved({ queryType: 'sessions', hide: true, key: 'Q-1', datasource, queryText: 'old' }))
    ).toEqual({
      refId: 'A',
      hide: true,
      key: 'Q-1',
      datasource,
      queryType: 'sessions',
      state: 'live',
    });
  });

  it('drops empty and non-text filters', () => {
    expect(migrateQuery(saved({ server: '', user: 42 }))).toEqual({ refId: 'A', queryType: 'sessions', state: 'live' });
  });

  it('makes a query of the asked kind with its defaults, keeping options both kinds share', () => {
    expect(migrateQuery(saved({ queryType: 'capacity', format: 'table', server: 'vpn1' }), 'apps')).toEqual({
      refId: 'A',
      server: 'vpn1',
      queryType: 'apps',
      dimension: 'app',
      format: 'table',
    });
  });

  it('never throws and is stable: a migrated query migrates to itself', () => {
    const anything = fc.dictionary(
      fc.constantFrom(
        'queryType',
        'state',
        'unit',
        'direction',
        'groupBy',
        'topN',
        'totals',
        'format',
        'measure',
        'dimension',
        'kinds',
        'server',
        'user',
        'hide',
        'other'
      ),
      fc.oneof(
        fc.anything(),
        fc.constantFrom(
          'traffic',
          'capacity',
          'apps',
          'events',
          'all',
          'volume',
          'in',
          'user',
          'table',
          'counts',
          'platform',
          'month'
        )
      )
    );
    fc.assert(
      fc.property(anything, (fields) => {
        const once = migrateQuery(saved(fields));
        expect(migrateQuery(once)).toEqual(once);
      })
    );
  });
});

describe('migrateVariableQuery', () => {
  it('reads the plain-string queries of older variable editors', () => {
    expect(migrateVariableQuery('users')).toEqual({ refId: 'variable', queryType: 'variable', variable: 'users' });
  });

  it('lists servers when the saved query names nothing it knows', () => {
    expect(migrateVariableQuery('hosts')).toMatchObject({ variable: 'servers' });
    expect(migrateVariableQuery(undefined)).toMatchObject({ variable: 'servers' });
    expect(migrateVariableQuery({ refId: 'B', variable: 'pools' })).toEqual({
      refId: 'B',
      queryType: 'variable',
      variable: 'servers',
    });
  });

  it('keeps the filters of a saved variable query', () => {
    expect(migrateVariableQuery({ refId: 'B', variable: 'users', server: '$server' })).toEqual({
      refId: 'B',
      server: '$server',
      queryType: 'variable',
      variable: 'users',
    });
  });
});

describe('toBackendQuery', () => {
  it("leaves Grafana's own fields out of what the backend receives", () => {
    const query = migrateQuery(
      saved({ queryType: 'apps', hide: false, key: 'Q-1', datasource: { uid: 'x' }, user: 'bob' })
    );
    expect(toBackendQuery(query)).toEqual({
      refId: 'A',
      user: 'bob',
      queryType: 'apps',
      dimension: 'app',
      format: 'table',
    });
  });
});
