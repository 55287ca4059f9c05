import { API_TOKEN, BACKEND_VERSION } from '../../support/live-backend-plan';
import { openDashboard, panelRequest } from './dashboard';
import { closedPort, type LiveBackend, START_TIMEOUT_MS, startLiveBackend } from './liveBackend';

const REFUSED_TOKEN =
  'The vpnscope backend refused the API token. Enter the token from the backend config (api.token) in this data source.';

let backend: LiveBackend;

beforeAll(async () => {
  backend = await startLiveBackend();
}, START_TIMEOUT_MS);
afterAll(() => backend?.stop());

describe('"Save & test" against the live backend', () => {
  it('says it is connected, with the version and how many sources are up', async () => {
    const { datasource, requests } = openDashboard({ backendUrl: backend.urls.open });
    await expect(datasource.testDatasource()).resolves.toEqual({
      status: 'success',
      message: `Connected to vpnscope ${BACKEND_VERSION}: 4 sources up.`,
    });
    expect(requests.map((request) => [request.method, request.url])).toEqual([
      ['GET', '/api/datasources/proxy/uid/vpnscope-live/api/api/v1/health'],
    ]);
  });

  it('connects to a backend that requires a token when the data source has it', async () => {
    const { datasource, requests } = openDashboard({ backendUrl: backend.urls.token, apiToken: API_TOKEN });
    await expect(datasource.testDatasource()).resolves.toMatchObject({ status: 'success' });
    // the proxy adds the token on Grafana's side; the browser's request never carries it
    expect(requests[0].headers).toBeUndefined();
  });

  it.each([
    ['a wrong token', 'not-the-token'],
    ['no token', undefined],
  ])('says the backend refused the token when the data source has %s', async (_case, apiToken) => {
    const { datasource } = openDashboard({ backendUrl: backend.urls.token, apiToken });
    await expect(datasource.testDatasource()).resolves.toEqual({ status: 'error', message: REFUSED_TOKEN });
  });

  it('fails a panel query with the same words when the token is wrong', async () => {
    const { datasource } = openDashboard({ backendUrl: backend.urls.token, apiToken: 'not-the-token' });
    await expect(datasource.query(panelRequest([{ refId: 'A', queryType: 'sessions' }]))).rejects.toThrow(
      REFUSED_TOKEN
    );
  });

  it('says Grafana cannot reach the backend when nothing listens at its URL', async () => {
    const { datasource } = openDashboard({ backendUrl: `http://127.0.0.1:${await closedPort()}` });
    await expect(datasource.testDatasource()).resolves.toEqual({
      status: 'error',
      message:
        'Grafana cannot reach the vpnscope backend (HTTP 502). Check the backend URL and that "vpnscope serve" is running and reachable from the Grafana server.',
    });
  });

  it('says no vpnscope API answered when the URL has a path the backend does not serve', async () => {
    const { datasource } = openDashboard({ backendUrl: `${backend.urls.open}/vpnscope` });
    await expect(datasource.testDatasource()).resolves.toEqual({
      status: 'error',
      message:
        'No vpnscope API answered at the backend URL (HTTP 404). Use the address "vpnscope serve" listens on, without a path.',
    });
  });

  it('says the backend has no sources configured', async () => {
    const { datasource } = openDashboard({ backendUrl: backend.urls.noSources });
    await expect(datasource.testDatasource()).resolves.toEqual({
      status: 'error',
      message: `Connected to vpnscope ${BACKEND_VERSION}, but it has no sources configured: add an OpenVPN status file, management interface or pptpd syslog to its config.`,
    });
  });

  it('names the source that is down and why', async () => {
    const { datasource } = openDashboard({ backendUrl: backend.urls.sourcesDown });
    await expect(datasource.testDatasource()).resolves.toEqual({
      status: 'error',
      message: `Connected to vpnscope ${BACKEND_VERSION}, but 1 of 4 sources is down: tcp443 management 127.0.0.1:7505 (connect ECONNREFUSED 127.0.0.1:7505).`,
    });
  });

  it('asks for the backend URL before sending anything when none is set', async () => {
    const { datasource, requests } = openDashboard({ backendUrl: '' });
    await expect(datasource.testDatasource()).resolves.toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^Set the backend URL/),
    });
    expect(requests).toHaveLength(0);
  });
});
