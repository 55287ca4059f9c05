import type { AnnotationQuery, DataQueryRequest } from '@grafana/data';
import { lastValueFrom } from 'rxjs';
import type { VariableQuery, VpnscopeQuery } from '../../../src/types';
import { FIRST_POLL, LAST_POLL, USER6_LEAVES_AT_POLL } from '../../support/live-backend-plan';
import { describeField, panelRequest, timeRange, valuesOf } from './dashboard';
import { useLiveDashboard } from './liveBackend';

/** From an hour before the first poll: the captures' connects and the server's restart lie there. */
const WITH_CONNECTS = timeRange(FIRST_POLL - 3600, LAST_POLL);

const live = useLiveDashboard();

/** What Grafana does with an annotation: prepareQuery, then an ordinary query over the dashboard's range. */
async function annotationFrames(target?: Partial<VpnscopeQuery>) {
  const annotation = { name: 'VPN events', enable: true, iconColor: 'red', target } as AnnotationQuery<VpnscopeQuery>;
  const query = live.dashboard.datasource.annotations.prepareQuery?.(annotation);
  if (!query) {
    throw new Error('prepareQuery made no query of the annotation');
  }
  const { data } = await live.dashboard.datasource.query(panelRequest([query], { range: WITH_CONNECTS }));
  expect(data).toHaveLength(1);
  return data[0];
}

describe('events as annotations against the live backend', () => {
  it('gives the fields Grafana maps to annotations by name: time, title, text, tags', async () => {
    const events = await annotationFrames({ queryType: 'events', kinds: ['auth_failure'] });
    expect(events.fields.map(describeField)).toEqual([
      { name: 'time', type: 'time', displayName: 'Time' },
      { name: 'title', type: 'string', displayName: 'Title' },
      { name: 'text', type: 'string', displayName: 'Text' },
      { name: 'tags', type: 'other', displayName: 'Tags' },
      { name: 'kind', type: 'string', displayName: 'Kind' },
      { name: 'server', type: 'string', displayName: 'Server' },
      { name: 'user', type: 'string', displayName: 'User' },
    ]);
    expect(valuesOf(events, 'time')).toEqual([(FIRST_POLL + 1200) * 1000, (FIRST_POLL + 600) * 1000]);
    expect(valuesOf(events, 'title')).toEqual(['Authentication failed', 'Authentication failed']);
    expect(valuesOf(events, 'text')).toEqual([
      'eve from 198.18.7.2:50100: VERIFY ERROR: depth=0, error=unable to get local issuer certificate: CN=eve',
      'mallory from 198.18.7.1:50000: AUTH_FAILED',
    ]);
    expect(valuesOf(events, 'tags')).toEqual([
      ['auth_failure', 'tcp443'],
      ['auth_failure', 'udp1194'],
    ]);
  });

  it('gives every kind when the annotation filters none, newest first', async () => {
    const events = await annotationFrames({ queryType: 'events' });
    const kinds = valuesOf(events, 'kind');
    expect(kinds).toHaveLength(14);
    expect(kinds.filter((kind) => kind === 'connect')).toHaveLength(9);
    expect(kinds.slice(0, 4)).toEqual(['disconnect', 'tls_error', 'auth_failure', 'auth_failure']);
    expect(kinds[13]).toBe('server_restart');
    expect(valuesOf(events, 'text')[13]).toBe('Initialization Sequence Completed');
    expect(valuesOf(events, 'time')[0]).toBe((FIRST_POLL + USER6_LEAVES_AT_POLL * 60) * 1000);
  });

  it('filters by several kinds and a server', async () => {
    const events = await annotationFrames({ queryType: 'events', kinds: ['connect', 'disconnect'], server: 'tcp443' });
    expect(valuesOf(events, 'title')).toEqual(['Disconnected', 'Connected', 'Connected', 'Connected']);
    expect(valuesOf(events, 'user')).toEqual(['user6', 'user6', 'user2', 'user1']);
  });

  it('still runs an annotation saved before it had a target, as every event', async () => {
    const events = await annotationFrames(undefined);
    expect(valuesOf(events, 'kind')).toHaveLength(14);
  });
});

describe('dashboard variables against the live backend', () => {
  const find = (query: unknown, range = timeRange(FIRST_POLL, LAST_POLL)) =>
    live.dashboard.datasource.metricFindQuery(query, { range });

  it('lists every configured server', async () => {
    await expect(find({ refId: 'V', queryType: 'variable', variable: 'servers' })).resolves.toEqual([
      { text: 'tcp443' },
      { text: 'udp1194' },
      { text: 'udp1195' },
    ]);
  });

  it('lists the users seen in the range, on one server if asked', async () => {
    const users = await find({ refId: 'V', queryType: 'variable', variable: 'users' });
    expect(users.map((value) => value.text)).toEqual(['user1', 'user2', 'user3', 'user6']);
    const onTcp443 = await find({ refId: 'V', queryType: 'variable', variable: 'users', server: 'tcp443' });
    expect(onTcp443.map((value) => value.text)).toEqual(['user1', 'user2', 'user6']);
  });

  it('lists nobody for a range before anyone connected', async () => {
    await expect(
      find({ refId: 'V', queryType: 'variable', variable: 'users' }, timeRange(FIRST_POLL - 7200, FIRST_POLL - 3600))
    ).resolves.toEqual([]);
  });

  it('lists the apps clients reported, and answers a variable saved as a plain string', async () => {
    const apps = await find('apps');
    expect(apps.map((value) => value.text)).toEqual(['org.example.vpn.linux', 'org.example.vpn.windows']);
  });

  it('answers through the VariableSupport API Grafana 13 calls', async () => {
    const request = {
      ...panelRequest([]),
      targets: [{ refId: 'V', queryType: 'variable', variable: 'apps', user: 'user6' }],
    } as unknown as DataQueryRequest<VariableQuery>;
    const response = await lastValueFrom(live.dashboard.datasource.variables.query(request));
    expect(response.data).toEqual([{ text: 'org.example.vpn.linux' }]);
  });
});
