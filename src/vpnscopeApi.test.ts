import { fakeBackendSrv } from './testing/fakeBackendSrv';
import { explain, VpnscopeApi } from './vpnscopeApi';

const proxyUrl = '/api/datasources/proxy/uid/vpnscope';

describe('VpnscopeApi', () => {
  it('posts queries to the backend through the api route of the data-source proxy', async () => {
    const requests = fakeBackendSrv(() => ({ data: { results: {} } }));
    const request = { range: { from: 1, to: 2 }, queries: [] };
    await expect(new VpnscopeApi(proxyUrl).query(request)).resolves.toEqual({ results: {} });
    expect(requests).toEqual([
      { method: 'POST', url: `${proxyUrl}/api/api/v1/query`, data: request, showErrorAlert: false },
    ]);
  });

  it('asks for health at /api/v1/health through the same route', async () => {
    const requests = fakeBackendSrv(() => ({ data: { status: 'no_sources', version: '0.1.0', sources: [] } }));
    await new VpnscopeApi(proxyUrl).health();
    expect(requests[0]).toMatchObject({ method: 'GET', url: `${proxyUrl}/api/api/v1/health` });
  });

  it('fails with the backend’s reason when it rejects a query', async () => {
    fakeBackendSrv(() => ({
      status: 400,
      data: { statusCode: 400, error: 'Bad Request', message: 'body.queries[0].state must be one of: live, all' },
    }));
    await expect(new VpnscopeApi(proxyUrl).query({ range: { from: 1, to: 2 }, queries: [] })).rejects.toThrow(
      'The vpnscope backend rejected the query: body.queries[0].state must be one of: live, all'
    );
  });
});

describe('explain', () => {
  const fetchError = (status: number, data: unknown = '') => ({ status, data, config: { url: '' } });

  it.each([
    [502, 'Bad Gateway'],
    [504, ''],
    [0, ''],
  ])('calls HTTP %p an unreachable backend', (status, data) => {
    expect(explain(fetchError(status, data)).message).toMatch(/^Grafana cannot reach the vpnscope backend/);
  });

  it.each([
    [401, { error: 'invalid bearer token (api.token)' }],
    [403, ''],
    // Grafana's proxy turns the backend's 401 into this, so the user stays logged in to Grafana.
    [400, 'Authentication to data source failed'],
  ])('calls HTTP %p a refused token', (status, data) => {
    expect(explain(fetchError(status, data)).message).toMatch(/^The vpnscope backend refused the API token/);
  });

  it('calls a 404 a URL that is not a vpnscope backend', () => {
    expect(explain(fetchError(404, '404 page not found')).message).toMatch(/^No vpnscope API answered/);
  });

  it('passes any other failure on with its status and reason', () => {
    expect(explain(fetchError(500, { message: 'database is locked' })).message).toBe(
      'The vpnscope backend failed (HTTP 500): database is locked'
    );
  });

  it('leaves errors that did not come from an HTTP answer as they are', () => {
    const error = new Error('aborted');
    expect(explain(error)).toBe(error);
  });
});
