import fs from 'node:fs';
import path from 'node:path';
import { pptpdPoolSize } from '../../backend/src/sources/pptpd/pptpd-pool';
import { framesFor, seriesWith, valuesOf } from '../support/query-frames';
import { fixtureLines, PptpdLab, SERVER, utcSeconds as at } from '../support/pptpd-source-lab';

jest.setTimeout(20_000);

let lab: PptpdLab;
beforeEach(() => {
  lab = new PptpdLab();
});
afterEach(() => lab.close());

/** dave (vpn1, ppp1) and CORP\frank (vpn2, another machine) stay connected at the end of logins.log. */
async function daveOnline(bytesIn = 1_000, bytesOut = 20_000): Promise<void> {
  lab.write(fixtureLines('logins.log'));
  lab.setInterface('ppp1', bytesIn, bytesOut);
  await lab.poll('2026-11-21T17:00:00Z');
}

const DAVE_LINE = (time: string, message: string) => `Nov 21 ${time} vpn1 pppd[4402]: ${message}\n`;

describe('PptpdSource live counters', () => {
  it('grows the current session’s bytes from its interface counters, as traffic between polls', async () => {
    lab.write('');
    await lab.poll('2026-11-21T15:00:00Z');
    lab.append(fixtureLines('logins.log', 0, 81)); // up to dave's ip-up
    lab.setInterface('ppp1', 1_000, 20_000);
    await lab.poll('2026-11-21T15:45:00Z');
    lab.setInterface('ppp1', 4_000, 90_000);
    await lab.poll('2026-11-21T15:45:10Z');
    lab.setInterface('ppp1', 4_500, 150_000);
    await lab.poll('2026-11-21T15:45:20Z');

    const dave = lab.session('dave');
    expect(dave).toMatchObject({ endedAt: null, bytesIn: 4_500, bytesOut: 150_000 });
    const deltas = lab.db
      .prepare(
        `SELECT t.ts, t.bytes_in AS bytesIn, t.bytes_out AS bytesOut
         FROM traffic t JOIN sessions s ON s.id = t.session_id WHERE s.user = ? ORDER BY t.ts`
      )
      .all('dave');
    expect(deltas).toEqual([
      { ts: at('2026-11-21T15:45:00Z'), bytesIn: 1_000, bytesOut: 20_000 }, // began after the poll before
      { ts: at('2026-11-21T15:45:10Z'), bytesIn: 3_000, bytesOut: 70_000 },
      { ts: at('2026-11-21T15:45:20Z'), bytesIn: 500, bytesOut: 60_000 },
    ]);
  });

  it('closes with pppd’s final count, never below the last reading (which counted the negotiation too)', async () => {
    await daveOnline(1_000, 20_000);
    lab.setInterface('ppp1', 5_200, 64_100);
    await lab.poll('2026-11-21T17:00:10Z');
    lab.append(DAVE_LINE('17:00:15', 'LCP terminated by peer'));
    lab.append(DAVE_LINE('17:00:15', 'Sent 64000 bytes, received 5100 bytes.'));
    lab.append(DAVE_LINE('17:00:15', 'Exit.'));
    lab.removeInterface('ppp1');
    await lab.poll('2026-11-21T17:00:20Z');
    const dave = lab.session('dave');
    expect(dave).toMatchObject({ endedAt: at('2026-11-21T17:00:15Z'), bytesIn: 5_200, bytesOut: 64_100 });
    expect(lab.traffic()[dave.identity]).toEqual({ bytesIn: 5_200 - 1_000, bytesOut: 64_100 - 20_000 });
  });
});

describe('PptpdSource on a session whose interface vanished without Exit.', () => {
  it('keeps it live at the first poll without the interface, and ends it as lost at the second', async () => {
    await daveOnline();
    lab.removeInterface('ppp1');
    await lab.poll('2026-11-21T17:00:10Z');
    expect(lab.session('dave').endedAt).toBeNull();
    await lab.poll('2026-11-21T17:00:20Z');
    expect(lab.session('dave')).toMatchObject({
      endedAt: at('2026-11-21T17:00:00Z'), // the last poll that saw its interface
      endReason: 'lost',
      bytesIn: 1_000,
      bytesOut: 20_000,
    });
    expect(lab.db.prepare('SELECT used FROM capacity ORDER BY ts').all()).toEqual([
      { used: 2 },
      { used: 2 },
      { used: 1 },
    ]);
  });

  it('ignores its pppd’s late lines and stays ended after a restart', async () => {
    await daveOnline();
    lab.removeInterface('ppp1');
    await lab.poll('2026-11-21T17:00:10Z');
    await lab.poll('2026-11-21T17:00:20Z');
    lab.append(DAVE_LINE('17:00:30', 'Sent 64000 bytes, received 5100 bytes.'));
    lab.append(DAVE_LINE('17:00:30', 'Exit.'));
    await lab.restart();
    await lab.poll('2026-11-21T17:00:40Z');
    expect(lab.session('dave')).toMatchObject({ endedAt: at('2026-11-21T17:00:00Z'), endReason: 'lost' });
    expect(lab.health.all()[0].parseErrorCount).toBe(0); // expected lines of a known pppd, not unreadable ones
  });

  it('waits while its pppd still logs, and ends it at its last line with the reason it logged', async () => {
    await daveOnline();
    lab.removeInterface('ppp1');
    await lab.poll('2026-11-21T17:00:10Z');
    lab.append(DAVE_LINE('17:00:12', 'LCP terminated by peer'));
    await lab.poll('2026-11-21T17:00:20Z');
    expect(lab.session('dave').endedAt).toBeNull();
    await lab.poll('2026-11-21T17:00:30Z');
    expect(lab.session('dave')).toMatchObject({ endedAt: at('2026-11-21T17:00:12Z'), endReason: 'peer-terminated' });
  });

  it('never ends sessions of another host, whose interfaces are not on this machine', async () => {
    await daveOnline();
    for (const minute of ['01', '02', '03']) {
      await lab.poll(`2026-11-21T17:${minute}:00Z`);
    }
    expect(lab.session('CORP\\frank').endedAt).toBeNull();
  });
});

describe('PptpdSource health', () => {
  it('is down while the syslog is missing, with a word on what to check, and up once it appears', async () => {
    await lab.poll('2026-11-21T17:00:00Z');
    expect(lab.health.all()[0]).toMatchObject({ up: false, lastError: expect.stringMatching(/does not exist/) });
    lab.write(fixtureLines('logins.log'));
    await lab.poll('2026-11-21T17:00:10Z');
    expect(lab.health.all()[0]).toMatchObject({ up: true, errorCount: 1 });
    expect(lab.events(['source_down', 'source_up']).map((e) => [e.kind, e.ts])).toEqual([
      ['source_down', at('2026-11-21T17:00:00Z')],
      ['source_up', at('2026-11-21T17:00:10Z')],
    ]);
  });
});

describe('queries over a PPTP server', () => {
  const range = { from: at('2026-11-21T00:00:00Z'), to: at('2026-11-21T17:00:00Z'), now: at('2026-11-21T17:00:00Z') };

  it('lists its live and past sessions like OpenVPN’s', async () => {
    await daveOnline();
    const [live] = framesFor(lab.db, { queryType: 'sessions', server: SERVER }, range);
    expect(valuesOf(live, 'user')).toEqual(['CORP\\frank', 'dave']);
    expect(valuesOf(live, 'real_address')).toEqual(['198.18.61.7', '198.18.3.150']);
    expect(valuesOf(live, 'virtual_ipv4')).toEqual(['198.19.8.21', '198.19.0.11']);
    const [all] = framesFor(lab.db, { queryType: 'sessions', state: 'all', user: 'alice' }, range);
    expect(valuesOf(all, 'duration')).toEqual([735]);
    expect(valuesOf(all, 'bytes_out')).toEqual([48_211_234]);
  });

  it('totals its traffic per user and day', async () => {
    await daveOnline();
    const frames = framesFor(
      lab.db,
      { queryType: 'traffic', totals: 'day', groupBy: 'user', direction: 'out', server: SERVER },
      range
    );
    expect(valuesOf(seriesWith(frames, { user: 'alice', direction: 'out' }), 'total')).toEqual([48_211_234]);
    expect(valuesOf(seriesWith(frames, { user: 'bob', direction: 'out' }), 'total')).toEqual([9_120_333]);
  });

  it('tables its pool usage', async () => {
    await daveOnline();
    const [table] = framesFor(lab.db, { queryType: 'capacity', format: 'table', measure: 'counts' }, range);
    expect(valuesOf(table, 'server')).toEqual([SERVER]);
    expect(valuesOf(table, 'used')).toEqual([2]);
    expect(valuesOf(table, 'size')).toEqual([10]);
  });
});

describe('pptpdPoolSize', () => {
  const write = (name: string, text: string) => {
    const file = path.join(lab.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('counts the remoteip addresses of the configured pptpd.conf', () => {
    const file = write('pptpd.conf', 'option /etc/ppp/pptpd-options\nlocalip 198.19.0.1\nremoteip 198.19.0.10-59\n');
    expect(pptpdPoolSize({ name: 'p', kind: 'pptpd', pptpdConfig: file })).toEqual({
      size: 50,
      source: `${file}: remoteip 198.19.0.10-59`,
    });
  });

  it('names the connections limit when that is lower, and what pptpd would reject', () => {
    const file = write('pptpd.conf', 'connections 20\nlocalip 198.19.0.1\nremoteip 198.19.0.10-59,nonsense!\n');
    expect(pptpdPoolSize({ name: 'p', kind: 'pptpd', pptpdConfig: file })).toEqual({
      size: 20,
      source: `${file}: connections 20; line 3: "nonsense!" is neither an address nor a range`,
    });
  });

  it('prefers poolSize from vpnscope.yaml, and reads /etc/pptpd.conf only when it exists', () => {
    const fallback = write('default-pptpd.conf', 'remoteip 198.19.0.10-13\n');
    expect(pptpdPoolSize({ name: 'p', kind: 'pptpd', poolSize: 7 }, fallback)).toEqual({
      size: 7,
      source: 'poolSize in vpnscope.yaml',
    });
    expect(pptpdPoolSize({ name: 'p', kind: 'pptpd' }, fallback).size).toBe(4);
    expect(pptpdPoolSize({ name: 'p', kind: 'pptpd' }, path.join(lab.dir, 'absent.conf'))).toEqual({
      size: null,
      source: null,
    });
  });
});
