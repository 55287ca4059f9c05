import fs from 'node:fs';
import zlib from 'node:zlib';
import { fixtureLines, PptpdLab, utcSeconds as at } from '../support/pptpd-source-lab';

// the worker thread loads the TypeScript sources through ts-node
jest.setTimeout(60_000);

/** syslog.2.gz, syslog.1 and syslog: paul's session, olga's across the rotation, the logins of Nov 21. */
function writeRotatedLogs(lab: PptpdLab): void {
  fs.writeFileSync(`${lab.syslog}.2.gz`, zlib.gzipSync(fixtureLines('rotation-oldest.log')));
  fs.utimesSync(`${lab.syslog}.2.gz`, new Date('2026-11-20T00:00:00Z'), new Date('2026-11-20T00:00:00Z'));
  lab.write(fixtureLines('rotation-before.log'), '2026-11-21T00:00:00Z', `${lab.syslog}.1`);
  lab.write(fixtureLines('rotation-after.log') + fixtureLines('logins.log'), '2026-11-21T17:00:00Z');
  lab.setInterface('ppp1', 0, 0);
}

const outcome = (lab: PptpdLab) => ({ sessions: lab.sessions(), events: lab.events(), traffic: lab.traffic() });

describe('PptpdSource catching up in a worker thread', () => {
  let inline: ReturnType<typeof outcome>;
  const labs: PptpdLab[] = [];

  beforeAll(async () => {
    const lab = new PptpdLab();
    labs.push(lab);
    writeRotatedLogs(lab);
    await lab.poll('2026-11-21T17:00:00Z');
    inline = outcome(lab);
  });
  afterAll(() => Promise.all(labs.map((lab) => lab.close())));

  it('records the same sessions, events and bytes as reading inline, and follows on from there', async () => {
    const lab = new PptpdLab({ parallelCatchUpBytes: 0 });
    labs.push(lab);
    writeRotatedLogs(lab);
    await lab.poll('2026-11-21T17:00:00Z');
    expect(lab.health.all()[0]).toMatchObject({ up: true, parseErrorCount: 2 });
    expect(outcome(lab)).toEqual(inline);
    expect(lab.sessions().map((s) => s.user)).toEqual(['paul', 'olga', 'alice', 'bob', 'dave', 'CORP\\frank', 'erin']);

    lab.append('Nov 21 17:05:00 vpn1 pppd[4402]: LCP terminated by peer\nNov 21 17:05:00 vpn1 pppd[4402]: Exit.\n');
    await lab.poll('2026-11-21T17:05:10Z');
    expect(lab.session('dave')).toMatchObject({ endedAt: at('2026-11-21T17:05:00Z'), endReason: 'peer-terminated' });
    await lab.restart();
    await lab.poll('2026-11-21T17:06:00Z');
    expect(lab.sessions()).toHaveLength(7);
  });

  it('stops when a write fails, keeps what was committed, and finishes at the next poll without doubles', async () => {
    const lab = new PptpdLab({ parallelCatchUpBytes: 0 });
    labs.push(lab);
    writeRotatedLogs(lab);
    lab.failSecondFinishedSession('disk full');
    await lab.poll('2026-11-21T17:00:00Z');
    expect(lab.health.all()[0]).toMatchObject({ up: false, lastError: 'disk full' });
    expect(lab.sessions().map((s) => s.user)).toEqual(['paul']); // the oldest file's batch was committed
    await lab.poll('2026-11-21T17:00:10Z');
    expect(outcome(lab)).toEqual(inline);
  });
});
