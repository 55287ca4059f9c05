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

describe('PptpdSource on old pppd byte counters (32-bit, wrapping at 4 GiB)', () => {
  it('recovers the wraps of a 32-bit count from the last interface reading, and keeps 64-bit counts as printed', async () => {
    await lab.close();
    lab = new PptpdLab({ localHost: 'vpn3' });
    lab.write('', '2026-03-09T12:00:00Z');
    await lab.poll('2026-03-09T05:59:00Z');
    lab.append(fixtureLines('wrap.log', 0, 18));
    lab.setInterface('ppp0', 1_000_000, 4_000_000_000); // mona, pppd 2.4.5
    lab.setInterface('ppp1', 200_000_000, 5_900_000_000); // nils, pppd 2.5.2
    await lab.poll('2026-03-09T06:06:00Z');
    lab.setInterface('ppp0', 1_200_000, 4_999_000_000);
    await lab.poll('2026-03-09T10:00:00Z');
    lab.append(fixtureLines('wrap.log', 18));
    lab.removeInterface('ppp0');
    lab.removeInterface('ppp1');
    await lab.poll('2026-03-09T11:06:00Z');

    const mona = lab.session('mona');
    const nils = lab.session('nils');
    // pppd printed 705032704 = 5e9 mod 2^32
    expect(mona).toMatchObject({ bytesOut: 5_000_000_000, bytesIn: 1_234_567, endedAt: at('2026-03-09T11:00:01Z') });
    expect(nils).toMatchObject({ bytesOut: 6_000_000_000, bytesIn: 250_000_000, endReason: 'signal' });
    expect(lab.traffic()).toEqual({
      [mona.identity]: { bytesIn: 1_234_567, bytesOut: 5_000_000_000 },
      [nils.identity]: { bytesIn: 250_000_000, bytesOut: 6_000_000_000 },
    });
  });
});

describe('PptpdSource across the new year', () => {
  beforeEach(async () => {
    lab.write(fixtureLines('year-turn.log'), '2027-01-01T01:00:00Z');
    lab.setInterface('ppp1', 0, 0); // liam's
    await lab.poll('2027-01-01T01:00:00Z');
  });

  it('ends a session begun on Dec 31 on Jan 1 of the next year', () => {
    expect(lab.session('kate')).toMatchObject({
      startedAt: at('2026-12-31T23:50:10Z'),
      endedAt: at('2027-01-01T00:20:40Z'),
    });
    expect(lab.session('liam')).toMatchObject({ startedAt: at('2027-01-01T00:00:03Z'), endedAt: null });
    expect(lab.events(['auth_failure']).map((e) => [e.ts, e.user])).toEqual([[at('2026-12-31T23:59:59Z'), 'guest']]);
  });

  it('spreads a backfilled session’s bytes over the hours it lasted, in proportion to the time in each', () => {
    const slices = lab.db
      .prepare(
        `SELECT t.ts, t.bytes_in AS bytesIn, t.bytes_out AS bytesOut
         FROM traffic t JOIN sessions s ON s.id = t.session_id WHERE s.user = 'kate' ORDER BY t.ts`
      )
      .all();
    // 590 s before midnight, 1240 s after
    expect(slices).toEqual([
      { ts: at('2027-01-01T00:00:00Z'), bytesIn: Math.floor((310_000 * 590) / 1830), bytesOut: 709_289 },
      { ts: at('2027-01-01T00:20:40Z'), bytesIn: 310_000 - 99_945, bytesOut: 2_200_000 - 709_289 },
    ]);
  });
});

describe('PptpdSource on reused PIDs and other syslog formats', () => {
  it('gives each pppd with a reused PID its own session and ends the one cut by a reboot as lost', async () => {
    lab.write(fixtureLines('pid-reuse.log'), '2026-12-04T12:00:00Z');
    await lab.poll('2026-12-04T12:00:00Z');
    expect(lab.sessions().map((s) => [s.user, s.startedAt, s.endedAt, s.endReason])).toEqual([
      ['gina', at('2026-12-02T08:00:01Z'), at('2026-12-02T09:00:02Z'), 'peer-terminated'],
      ['hank', at('2026-12-04T10:00:00Z'), at('2026-12-04T10:00:01Z'), 'lost'],
      ['ivan', at('2026-12-04T11:31:00Z'), at('2026-12-04T11:45:37Z'), 'echo-timeout'],
    ]);
  });

  it('reads rsyslog ISO and RFC 5424 lines with their own offsets', async () => {
    lab.write(fixtureLines('formats.log'));
    await lab.poll();
    expect(lab.session('judy')).toMatchObject({
      realAddress: '198.18.77.7',
      virtualIpv4: '198.19.4.9',
      startedAt: at('2026-11-21T14:36:47Z'),
      endedAt: at('2026-11-21T15:06:48Z'),
      bytesIn: 2048,
      bytesOut: 4096,
    });
  });
});
