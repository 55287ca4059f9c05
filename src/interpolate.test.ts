import { interpolateQuery } from './interpolate';

/** Stands in for Grafana's TemplateSrv: `$server` is vpn1, `$user` is alice, `$nobody` is empty. */
const variables: Record<string, string> = { $server: 'vpn1', $user: 'alice', $nobody: '' };
const replace = (text: string) => text.replace(/\$\w+/g, (name) => variables[name] ?? name);

describe('interpolateQuery', () => {
  it('resolves variables in the server and user filters', () => {
    expect(interpolateQuery({ refId: 'A', queryType: 'sessions', server: '$server', user: '$user' }, replace)).toEqual({
      refId: 'A',
      queryType: 'sessions',
      server: 'vpn1',
      user: 'alice',
    });
  });

  it('leaves plain names and the other options alone', () => {
    const query = { refId: 'A', queryType: 'traffic', unit: 'rate', server: 'vpn2' } as const;
    expect(interpolateQuery(query, replace)).toEqual(query);
  });

  it('drops a filter whose variable is empty, so it means every server', () => {
    expect(interpolateQuery({ refId: 'A', server: '$nobody', user: '$user' }, replace)).toEqual({
      refId: 'A',
      user: 'alice',
    });
  });

  it('does not change the query it was given', () => {
    const query = { refId: 'A', server: '$server' };
    interpolateQuery(query, replace);
    expect(query.server).toBe('$server');
  });
});
