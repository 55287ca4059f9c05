import {
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  dateTime,
  type ScopedVars,
  type TimeRange,
} from '@grafana/data';
import { lastValueFrom } from 'rxjs';
import { DataSource } from './datasource';
import { fakeBackendSrv, type FakeAnswer } from './testing/fakeBackendSrv';
import { fakeTemplateSrv } from './testing/fakeTemplateSrv';
import type { VariableQuery, VpnscopeOptions, VpnscopeQuery } from './types';

const proxyUrl = '/api/datasources/proxy/uid/vpnscope';

function settings(jsonData: VpnscopeOptions = { backendUrl: 'http://127.0.0.1:9234' }) {
  return {
    id: 1,
    uid: 'vpnscope',
    type: 'vpnscope-vpnscope-datasource',
    name: 'vpnscope',
    access: 'proxy',
    url: proxyUrl,
    jsonData,
    readOnly: false,
    meta: {},
  } as unknown as DataSourceInstanceSettings<VpnscopeOptions>;
}

const templateSrv = fakeTemplateSrv({ server: 'vpn1', servers: ['vpn1', 'vpn2'] });

const range: TimeRange = {
  from: dateTime(1_700_000_000_000),
  to: dateTime(1_700_003_600_000),
  raw: { from: 'now-1h', to: 'now' },
};

function request(targets: VpnscopeQuery[], scopedVars: ScopedVars = {}): DataQueryRequest<VpnscopeQuery> {
  return {
    requestId: 'Q1',
    interval: '15s',
    intervalMs: 15000,
    maxDataPoints: 240,
    range,
    scopedVars,
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

function answering(answer: FakeAnswer) {
  const requests = fakeBackendSrv(() => answer);
  return { datasource: new DataSource(settings(), templateSrv), requests };
}

const valueFrame = (values: string[]) => ({
  schema: { fields: [{ name: 'value', type: 'string' }] },
  data: { values: [values] },
});

describe('DataSource.query', () => {
  it('sends the range, interval and the queries with variables resolved and hidden ones left out', async () => {
    const { datasource, requests } = answering({ data: { results: {} } });
    await datasource.query(
      request(
        [
          { refId: 'A', queryType: 'traffic', server: '$server', user: '$who', groupBy: 'user', topN: 5 },
          { refId: 'B', queryType: 'sessions', hide: true },
          { refId: 'C', queryType: 'events', server: '$servers', datasource: { uid: 'vpnscope' } },
        ],
        { who: { text: 'alice', value: 'alice' } }
      )
    );
    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe(`${proxyUrl}/api/api/v1/query`);
    expect(requests[0].method).toBe('POST');
    expect(requests[0].data).toEqual({
      range: { from: 1_700_000_000_000, to: 1_700_003_600_000 },
      intervalMs: 15000,
      maxDataPoints: 240,
      queries: [
        {
          refId: 'A',
          queryType: 'traffic',
          server: 'vpn1',
          user: 'alice',
          unit: 'rate',
          direction: 'both',
          groupBy: 'user',
          topN: 5,
        },
        { refId: 'C', queryType: 'events', server: 'vpn1,vpn2', kinds: [] },
      ],
    });
  });

  it('sends nothing when every query is hidden', async () => {
    const { datasource, requests } = answering({ data: { results: {} } });
    await expect(datasource.query(request([{ refId: 'A', queryType: 'sessions', hide: true }]))).resolves.toEqual({
      data: [],
    });
    expect(requests).toHaveLength(0);
  });

  it('returns the frames of each query tagged with its refId', async () => {
    const { datasource } = answering({ data: { results: { A: { frames: [valueFrame(['vpn1'])] } } } });
    const { data } = await datasource.query(request([{ refId: 'A', queryType: 'sessions' }]));
    expect(data).toHaveLength(1);
    expect(data[0].refId).toBe('A');
    expect(data[0].fields[0].values).toEqual(['vpn1']);
  });
});

describe('DataSource.metricFindQuery', () => {
  it('lists the values of a variable query in the given range', async () => {
    const { datasource, requests } = answering({
      data: { results: { B: { frames: [valueFrame(['alice', 'bob'])] } } },
    });
    const query: VariableQuery = { refId: 'B', queryType: 'variable', variable: 'users', server: '$server' };
    await expect(datasource.metricFindQuery(query, { range })).resolves.toEqual([{ text: 'alice' }, { text: 'bob' }]);
    expect(requests[0].data).toEqual({
      range: { from: 1_700_000_000_000, to: 1_700_003_600_000 },
      queries: [{ refId: 'B', queryType: 'variable', variable: 'users', server: 'vpn1' }],
    });
  });

  it('fails with the backend’s message when the variable query failed', async () => {
    const { datasource } = answering({ data: { results: { variable: { frames: [], error: 'unknown server vpn9' } } } });
    await expect(datasource.metricFindQuery('servers')).rejects.toThrow('unknown server vpn9');
  });
});

describe('DataSource.variables', () => {
  it('answers a variable query with the listed values', async () => {
    const { datasource } = answering({ data: { results: { A: { frames: [valueFrame(['vpn1'])] } } } });
    const variableRequest = { ...request([]), targets: [{ refId: 'A', queryType: 'variable', variable: 'servers' }] };
    const response = await lastValueFrom(
      datasource.variables.query(variableRequest as unknown as DataQueryRequest<VariableQuery>)
    );
    expect(response.data).toEqual([{ text: 'vpn1' }]);
  });
});

describe('DataSource.annotations', () => {
  it('runs any saved annotation target as an events query', () => {
    const { datasource } = answering({ data: { results: {} } });
    const prepared = datasource.annotations.prepareQuery?.({
      name: 'Restarts',
      enable: true,
      iconColor: 'red',
      target: { refId: 'Anno', queryType: 'traffic', server: 'vpn1' },
    });
    expect(prepared).toEqual({ refId: 'Anno', server: 'vpn1', queryType: 'events', kinds: [] });
  });
});

describe('DataSource.interpolateVariablesInQueries', () => {
  it('resolves the filters of each query', () => {
    const { datasource } = answering({ data: { results: {} } });
    expect(
      datasource.interpolateVariablesInQueries([{ refId: 'A', queryType: 'sessions', server: '$server' }], {})
    ).toEqual([{ refId: 'A', queryType: 'sessions', server: 'vpn1', state: 'live' }]);
  });
});

describe('DataSource.testDatasource', () => {
  it('asks for the backend URL before anything else', async () => {
    const requests = fakeBackendSrv(() => ({ data: {} }));
    const result = await new DataSource(settings({}), templateSrv).testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/^Set the backend URL/);
    expect(requests).toHaveLength(0);
  });

  it('reports success with the number of sources', async () => {
    const { datasource, requests } = answering({
      data: {
        status: 'ok',
        version: '0.1.0',
        sources: [
          {
            server: 'vpn1',
            kind: 'status-file',
            target: '/run/openvpn/server.status',
            up: true,
            lastSuccessAt: 1,
            lastErrorAt: null,
            lastError: null,
            errorCount: 0,
            parseErrorCount: 0,
            pollCount: 3,
          },
        ],
      },
    });
    await expect(datasource.testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Connected to vpnscope 0.1.0: 1 source up.',
    });
    expect(requests[0].url).toBe(`${proxyUrl}/api/api/v1/health`);
  });

  it.each<[string, FakeAnswer, RegExp]>([
    ['an unreachable backend', { status: 502, data: 'Bad Gateway' }, /^Grafana cannot reach the vpnscope backend/],
    ['a refused token', { status: 400, data: 'Authentication to data source failed' }, /refused the API token/],
    [
      'a backend without sources',
      { data: { status: 'no_sources', version: '0.1.0', sources: [] } },
      /no sources configured/,
    ],
  ])('says plainly when it meets %s', async (_case, answer, message) => {
    const { datasource } = answering(answer);
    const result = await datasource.testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toMatch(message);
  });
});
