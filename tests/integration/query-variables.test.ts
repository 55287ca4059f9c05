import { addServer, addSession, at, openTestDatabase, type TestDatabase } from '../support/seed-db';
import { framesFor } from '../support/query-frames';

const t = (hhmm: string): number => at(`2024-03-04T${hhmm}:00Z`);

describe('variable query', () => {
  let store: TestDatabase;
  const range = { from: t('10:00'), to: t('12:00'), now: t('12:00') };

  beforeAll(() => {
    store = openTestDatabase();
    const { db } = store;
    const vpnB = addServer(db, 'vpn-b');
    const vpnA = addServer(db, 'vpn-a');
    addServer(db, 'pptp-office', { kind: 'pptpd' });
    addSession(db, { serverId: vpnA, user: 'carol', app: 'Tunnelblick', startedAt: t('11:00') });
    addSession(db, {
      serverId: vpnA,
      user: 'alice',
      app: 'OpenVPN Connect',
      startedAt: t('09:00'),
      endedAt: t('10:00'),
    });
    addSession(db, {
      serverId: vpnB,
      user: 'alice',
      app: 'OpenVPN Connect',
      startedAt: t('10:30'),
      endedAt: t('10:40'),
    });
    addSession(db, { serverId: vpnB, user: 'bob', app: '', startedAt: t('10:30'), endedAt: t('10:40') });
    addSession(db, { serverId: vpnB, user: 'old-timer', app: 'Viscosity', startedAt: t('08:00'), endedAt: t('09:59') });
  });
  afterAll(() => store.close());

  const values = (variable: 'servers' | 'users' | 'apps', filters: { server?: string; user?: string } = {}) => {
    const frames = framesFor(store.db, { queryType: 'variable', variable, ...filters }, range);
    expect(frames).toHaveLength(1);
    expect(frames[0].schema.fields).toEqual([{ name: 'value', type: 'string', config: { displayName: variable } }]);
    return frames[0].data.values[0];
  };

  it('lists every configured server by name', () => {
    expect(values('servers')).toEqual(['pptp-office', 'vpn-a', 'vpn-b']);
  });

  it('lists each user seen in the range once', () => {
    expect(values('users')).toEqual(['alice', 'bob', 'carol']);
    expect(values('users', { server: 'vpn-b' })).toEqual(['alice', 'bob']);
  });

  it('lists the apps seen in the range, leaving out clients that never said', () => {
    expect(values('apps')).toEqual(['OpenVPN Connect', 'Tunnelblick']);
    expect(values('apps', { server: 'vpn-a', user: 'carol' })).toEqual(['Tunnelblick']);
  });
});
