import { fixtureLines, PptpdLab, SERVER, utcSeconds as at } from '../support/pptpd-source-lab';

jest.setTimeout(20_000);

let lab: PptpdLab;
beforeEach(() => {
  lab = new PptpdLab();
});
afterEach(() => lab.close());

describe('PptpdSource on the fixture logins (two hosts interleaved, vpn1 is this machine)', () => {
  beforeEach(async () => {
    lab.write(fixtureLines('logins.log'));
    lab.setInterface('ppp1', 7_000, 90_000); // dave's, on vpn1
    await lab.poll('2026-11-21T17:00:00Z');
  });

  it('records ended sessions with user, calling number, tunnel address, exact start and end and final bytes', () => {
    expect(lab.session('alice')).toEqual({
      identity: `vpn1:4242:${at('2026-11-21T15:36:47Z')}`,
      user: 'alice',
      realAddress: '198.18.7.21',
      virtualIpv4: '198.19.0.10',
      startedAt: at('2026-11-21T15:36:47Z'),
      endedAt: at('2026-11-21T15:49:02Z'),
      bytesIn: 5_523_111,
      bytesOut: 48_211_234,
      endReason: 'peer-terminated',
    });
    expect(lab.session('bob')).toMatchObject({
      identity: `vpn2:4242:${at('2026-11-21T15:38:02Z')}`,
      realAddress: '198.18.44.3',
      virtualIpv4: '198.19.8.20',
      endedAt: at('2026-11-21T15:55:30Z'),
      bytesIn: 1_200_456,
      bytesOut: 9_120_333,
      endReason: 'hangup',
    });
  });

  it('records a session whose byte line was torn with what is known: its end, no bytes', () => {
    expect(lab.session('erin')).toMatchObject({
      endedAt: at('2026-11-21T16:20:15Z'),
      bytesIn: 0,
      bytesOut: 0,
      endReason: 'peer-terminated',
    });
  });

  it('keeps open sessions live: the local one with its interface counters, the other host’s without', () => {
    expect(lab.session('dave')).toMatchObject({
      realAddress: '198.18.3.150',
      virtualIpv4: '198.19.0.11',
      endedAt: null,
      bytesIn: 7_000,
      bytesOut: 90_000,
    });
    expect(lab.session('CORP\\frank')).toMatchObject({ endedAt: null, bytesIn: 0, bytesOut: 0 });
  });

  it('spreads a backfilled session’s bytes over the hours it lasted', () => {
    const alice = lab.session('alice');
    expect(lab.traffic()[alice.identity]).toEqual({ bytesIn: 5_523_111, bytesOut: 48_211_234 });
    const slices = lab.db
      .prepare('SELECT t.ts FROM traffic t JOIN sessions s ON s.id = t.session_id WHERE s.user = ? ORDER BY t.ts')
      .all('alice');
    expect(slices).toEqual([{ ts: at('2026-11-21T15:49:02Z') }]);
  });

  it('turns failed logins into auth_failure events with the client address pptpd logged', () => {
    expect(lab.events(['auth_failure'])).toEqual([
      {
        ts: at('2026-11-21T15:40:13Z'),
        kind: 'auth_failure',
        user: 'carol',
        realAddress: '198.18.9.99',
        detail: 'CHAP authentication failed',
      },
      {
        ts: at('2026-11-21T15:41:31Z'),
        kind: 'auth_failure',
        user: 'mallory',
        realAddress: '198.18.200.14',
        detail: 'PAP authentication failed',
      },
    ]);
  });

  it('writes connect and disconnect events once per session', () => {
    const events = lab.events(['connect', 'disconnect']);
    expect(events.filter((e) => e.kind === 'connect').map((e) => e.user)).toEqual([
      'alice',
      'bob',
      'dave',
      'CORP\\frank',
      'erin',
    ]);
    expect(events.filter((e) => e.kind === 'disconnect').map((e) => [e.user, e.detail])).toEqual([
      ['alice', 'peer-terminated'],
      ['bob', 'hangup'],
      ['erin', 'peer-terminated'],
    ]);
  });

  it('samples capacity: open sessions against the pool size', () => {
    expect(lab.db.prepare('SELECT pool, ts, used, size FROM capacity').all()).toEqual([
      { pool: 'ipv4', ts: at('2026-11-21T17:00:00Z'), used: 2, size: 10 },
    ]);
  });

  it('reports the source up under kind syslog, with the torn lines as parse issues', () => {
    expect(lab.health.all()).toEqual([
      expect.objectContaining({
        server: SERVER,
        kind: 'syslog',
        target: lab.syslog,
        up: true,
        parseErrorCount: 2,
        errorCount: 0,
      }),
    ]);
  });
});
