import type { DataFrame } from '@grafana/data';
import type { QueryRequest } from '../../../backend/src/contract';
import { FIRST_POLL, LAST_POLL } from '../../support/live-backend-plan';
import { panelRequest, timeRange, valuesOf } from './dashboard';
import { useLiveDashboard } from './liveBackend';

/**
 * The dashboard's variables as Grafana's TemplateSrv hands them over: a multi-value variable and
 * "All" (without a custom all value) arrive as the list of selected values.
 */
const variables = {
  server: 'udp1194',
  servers: ['udp1194', 'tcp443'],
  everyServer: ['tcp443', 'udp1194', 'udp1195'],
  users: ['user3', 'user6'],
  nobody: '',
};

const live = useLiveDashboard({ variables });

/** The queries as they went over the wire to the live.backend. */
const sentQueries = () => (live.dashboard.requests[0].data as QueryRequest).queries;
const names = (frames: DataFrame[]) => frames.map((frame) => frame.name);

describe('template variables against the live backend', () => {
  it('resolves a dashboard variable in the server filter', async () => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'A', queryType: 'sessions', server: '$server' }])
    );
    expect(sentQueries()[0].server).toBe('udp1194');
    expect(valuesOf(data[0], 'server')).toEqual(['udp1194', 'udp1194', 'udp1194']);
  });

  it('resolves a repeated panel’s scoped variable in the user filter', async () => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'A', queryType: 'sessions', user: '${user}' }], {
        scopedVars: { user: { text: 'user2', value: 'user2' } },
      })
    );
    expect(valuesOf(data[0], 'user')).toEqual(['user2', 'user2', 'user2']);
    expect(valuesOf(data[0], 'server')).toEqual(['udp1194', 'udp1195', 'tcp443']);
  });

  it('sends a multi-value variable as a plain comma list, which the backend reads as several servers', async () => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([
        { refId: 'S', queryType: 'sessions', server: '$servers' },
        { refId: 'T', queryType: 'traffic', server: '$servers', direction: 'in' },
        { refId: 'C', queryType: 'capacity', server: '$servers' },
        { refId: 'E', queryType: 'events', server: '$servers', kinds: ['auth_failure', 'tls_error'] },
      ])
    );
    expect(sentQueries().map((query) => query.server)).toEqual(new Array(4).fill('udp1194,tcp443'));
    const ofQuery = (refId: string) => data.filter((frame: DataFrame) => frame.refId === refId);
    expect(valuesOf(ofQuery('S')[0], 'server')).toEqual(['udp1194', 'udp1194', 'udp1194', 'tcp443', 'tcp443']);
    expect(names(ofQuery('T'))).toEqual(['tcp443 in', 'udp1194 in']);
    expect(names(ofQuery('C'))).toEqual(['tcp443 ipv4', 'udp1194 ipv4']);
    // udp1195's TLS error is left out
    expect(valuesOf(ofQuery('E')[0], 'user')).toEqual(['eve', 'mallory']);
  });

  it('filters by several users, in panels and in variable queries', async () => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'A', queryType: 'apps', user: '$users' }])
    );
    expect(sentQueries()[0].user).toBe('user3,user6');
    expect(valuesOf(data[0], 'app')).toEqual(['unknown', 'org.example.vpn.linux']);
    expect(valuesOf(data[0], 'sessions')).toEqual([2, 1]);
    const apps = await live.dashboard.datasource.metricFindQuery(
      { refId: 'V', queryType: 'variable', variable: 'apps', user: '$users' },
      { range: timeRange(FIRST_POLL, LAST_POLL) }
    );
    expect(apps).toEqual([{ text: 'org.example.vpn.linux' }]);
  });

  it('answers "All" servers as it answers no server filter', async () => {
    const request = (server?: string) =>
      panelRequest([{ refId: 'A', queryType: 'traffic', groupBy: 'none', direction: 'out', server }]);
    const [all] = (await live.dashboard.datasource.query(request('$everyServer'))).data;
    const [unfiltered] = (await live.dashboard.datasource.query(request())).data;
    expect((live.dashboard.requests[0].data as QueryRequest).queries[0].server).toBe('tcp443,udp1194,udp1195');
    expect(valuesOf(all, 'rate')).toEqual(valuesOf(unfiltered, 'rate'));
    expect(valuesOf(all, 'rate')[0]).toBe(2700);
  });

  it('drops a filter whose variable is empty, so it means every server', async () => {
    const { data } = await live.dashboard.datasource.query(
      panelRequest([{ refId: 'A', queryType: 'sessions', server: '$nobody' }])
    );
    expect(sentQueries()[0]).not.toHaveProperty('server');
    expect(data[0].length).toBe(8);
  });
});
