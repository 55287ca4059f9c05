import fs from 'node:fs';
import zlib from 'node:zlib';
import { fingerprintOf, positionKey } from '../../backend/src/sources/pptpd/syslog-fingerprint';
import { fixtureLines, PptpdLab, utcSeconds as at } from '../support/pptpd-source-lab';

jest.setTimeout(30_000);

/** What a run left in the database, without row ids or poll times: two runs over one log must agree. */
function outcome(lab: PptpdLab) {
  return { sessions: lab.sessions(), events: lab.events(), traffic: lab.traffic() };
}

/** A session of rosa on Nov 22, to write after a rotation. */
const ROSA = [
  'Nov 22 09:00:00 vpn1 pptpd[6000]: CTRL: Client 198.18.22.2 control connection started',
  'Nov 22 09:00:00 vpn1 pppd[6001]: pppd 2.4.9 started by root, uid 0',
  'Nov 22 09:00:00 vpn1 pppd[6001]: Using interface ppp0',
  'Nov 22 09:00:00 vpn1 pppd[6001]: Connect: ppp0 <--> /dev/pts/0',
  'Nov 22 09:00:01 vpn1 pppd[6001]: local  IP address 198.19.0.1',
  'Nov 22 09:00:01 vpn1 pppd[6001]: remote IP address 198.19.0.12',
  'Nov 22 09:00:01 vpn1 pppd[6001]: pptpd-logwtmp.so ip-up ppp0 rosa 198.18.22.2',
  'Nov 22 09:30:00 vpn1 pppd[6001]: LCP terminated by peer',
  'Nov 22 09:30:00 vpn1 pppd[6001]: Sent 7000 bytes, received 8000 bytes.',
  'Nov 22 09:30:00 vpn1 pppd[6001]: Exit.',
]
  .map((line) => `${line}\n`)
  .join('');

let lab: PptpdLab;
beforeEach(() => {
  lab = new PptpdLab();
});
afterEach(() => lab.close());

describe('PptpdSource across restarts', () => {
  it('resumes a restarted vpnscope where it stopped: the same sessions, events and bytes as one pass', async () => {
    const onePass = new PptpdLab();
    onePass.setInterface('ppp0', 0, 0);
    onePass.setInterface('ppp1', 0, 0);
    onePass.write(fixtureLines('logins.log'));
    await onePass.poll('2026-11-21T17:00:00Z');
    const expected = outcome(onePass);
    await onePass.close();

    lab.setInterface('ppp0', 0, 0);
    lab.setInterface('ppp1', 0, 0);
    lab.write('');
    const cuts = [20, 45, 70, 81, 100, 124, 126, 129];
    let from = 0;
    for (const [index, cut] of cuts.entries()) {
      lab.append(fixtureLines('logins.log', from, cut));
      from = cut;
      await lab.poll(`2026-11-21T17:0${index}:00Z`);
      await lab.restart();
    }
    await lab.poll('2026-11-21T17:09:00Z');
    expect(outcome(lab)).toEqual(expected);
    expect(lab.session('alice')).toMatchObject({ endedAt: at('2026-11-21T15:49:02Z'), bytesOut: 48_211_234 });
  });

  it('rolls back a poll that failed half-way and reads its lines again: nothing lost or doubled', async () => {
    lab.setInterface('ppp0', 0, 0);
    lab.setInterface('ppp1', 0, 0);
    lab.write(fixtureLines('logins.log', 0, 60));
    await lab.poll('2026-11-21T16:00:00Z');
    lab.append(fixtureLines('logins.log', 60));
    lab.failSecondFinishedSession('disk full');
    await lab.poll('2026-11-21T16:30:00Z');
    expect(lab.health.all()[0]).toMatchObject({ up: false, lastError: 'disk full' });
    await lab.poll('2026-11-21T17:00:00Z');
    expect(lab.health.all()[0]).toMatchObject({ up: true });
    expect(lab.sessions().map((s) => [s.user, s.endedAt])).toEqual([
      ['alice', at('2026-11-21T15:49:02Z')],
      ['bob', at('2026-11-21T15:55:30Z')],
      ['dave', null],
      ['CORP\\frank', null],
      ['erin', at('2026-11-21T16:20:15Z')],
    ]);
    expect(lab.events(['disconnect'])).toHaveLength(3);
    expect(lab.events(['auth_failure'])).toHaveLength(2);
  });
});

describe('PptpdSource following a rotating log', () => {
  /** olga's session begins in the file that is rotated away and ends in the new one. */
  async function olgaBeforeRotation(): Promise<void> {
    lab.write(fixtureLines('rotation-before.log'), '2026-11-20T23:50:00Z');
    lab.setInterface('ppp0', 600_000, 5_000_000);
    await lab.poll('2026-11-20T23:50:00Z');
    expect(lab.session('olga')).toMatchObject({ endedAt: null, bytesOut: 5_000_000 });
    lab.removeInterface('ppp0');
  }

  function expectOlgaEndedOnce(): void {
    expect(lab.sessions()).toEqual([
      expect.objectContaining({
        user: 'olga',
        startedAt: at('2026-11-20T23:40:00Z'),
        endedAt: at('2026-11-21T00:10:06Z'),
        bytesIn: 610_000,
        bytesOut: 5_500_000,
      }),
    ]);
    expect(lab.events(['connect', 'disconnect']).map((e) => e.kind)).toEqual(['connect', 'disconnect']);
  }

  it('follows rename + create', async () => {
    await olgaBeforeRotation();
    fs.renameSync(lab.syslog, `${lab.syslog}.1`);
    lab.write(fixtureLines('rotation-after.log'), '2026-11-21T00:15:00Z');
    await lab.poll('2026-11-21T00:15:00Z');
    expectOlgaEndedOnce();
  });

  it('follows copytruncate', async () => {
    await olgaBeforeRotation();
    fs.copyFileSync(lab.syslog, `${lab.syslog}.1`);
    fs.truncateSync(lab.syslog, 0);
    lab.append(fixtureLines('rotation-after.log'));
    await lab.poll('2026-11-21T00:15:00Z');
    expectOlgaEndedOnce();
  });

  it('follows copytruncate with the copy gzipped at once, after lines were added to it before the copy', async () => {
    await olgaBeforeRotation();
    lab.append('Nov 20 23:59:00 vpn1 CRON[9]: (root) CMD (true)\n');
    fs.writeFileSync(`${lab.syslog}.1.gz`, zlib.gzipSync(fs.readFileSync(lab.syslog)));
    fs.truncateSync(lab.syslog, 0);
    lab.append(fixtureLines('rotation-after.log'));
    await lab.poll('2026-11-21T00:15:00Z');
    expectOlgaEndedOnce();
  });
});

describe('PptpdSource catching up on rotated files', () => {
  beforeEach(async () => {
    fs.writeFileSync(`${lab.syslog}.2.gz`, zlib.gzipSync(fixtureLines('rotation-oldest.log')));
    fs.utimesSync(`${lab.syslog}.2.gz`, new Date('2026-11-20T00:00:00Z'), new Date('2026-11-20T00:00:00Z'));
    lab.write(fixtureLines('rotation-before.log'), '2026-11-21T00:00:00Z', `${lab.syslog}.1`);
    lab.write(fixtureLines('rotation-after.log'), '2026-11-21T00:15:00Z');
    await lab.poll('2026-11-21T00:15:00Z');
  });

  const users = () => lab.sessions().map((s) => [s.user, s.startedAt, s.endedAt]);

  it('reads gzipped and plain rotated files oldest first, then the live one', () => {
    expect(users()).toEqual([
      ['paul', at('2026-11-19T21:10:00Z'), at('2026-11-19T22:00:31Z')],
      ['olga', at('2026-11-20T23:40:00Z'), at('2026-11-21T00:10:06Z')],
    ]);
  });

  it('imports nothing twice: again on a second import, after a restart, or after a rotation while running', async () => {
    const before = outcome(lab);
    const again = await lab.source.catchUp();
    expect(again).toMatchObject({ sessions: 0, authFailures: 0, lines: 0, read: [] });
    await lab.restart();
    await lab.poll('2026-11-21T00:20:00Z');
    expect(outcome(lab)).toEqual(before);

    fs.renameSync(`${lab.syslog}.2.gz`, `${lab.syslog}.3.gz`);
    fs.writeFileSync(`${lab.syslog}.2.gz`, zlib.gzipSync(fs.readFileSync(`${lab.syslog}.1`)));
    fs.rmSync(`${lab.syslog}.1`);
    fs.renameSync(lab.syslog, `${lab.syslog}.1`);
    lab.write(ROSA, '2026-11-22T10:00:00Z');
    await lab.poll('2026-11-22T10:00:00Z');
    await lab.restart();
    await lab.poll('2026-11-22T10:01:00Z');
    expect(users()).toEqual([
      ['paul', at('2026-11-19T21:10:00Z'), at('2026-11-19T22:00:31Z')],
      ['olga', at('2026-11-20T23:40:00Z'), at('2026-11-21T00:10:06Z')],
      ['rosa', at('2026-11-22T09:00:00Z'), at('2026-11-22T09:30:00Z')],
    ]);
  });

  it('forgets the positions of rotated files once they are deleted, and keeps the others', async () => {
    const positions = () =>
      (lab.db.prepare('SELECT source FROM source_offsets').all() as Array<{ source: string }>)
        .map((row) => row.source)
        .sort();
    const ofContent = (text: string) => positionKey(lab.source.source, fingerprintOf(Buffer.from(text)) as string);
    const [oldest, before, after] = ['rotation-oldest.log', 'rotation-before.log', 'rotation-after.log'].map((name) =>
      ofContent(fixtureLines(name))
    );
    expect(positions()).toEqual([lab.source.source, oldest, before, after].sort());

    fs.rmSync(`${lab.syslog}.2.gz`);
    fs.renameSync(`${lab.syslog}.1`, `${lab.syslog}.2`);
    fs.renameSync(lab.syslog, `${lab.syslog}.1`);
    lab.write(ROSA, '2026-11-22T10:00:00Z');
    await lab.poll('2026-11-22T10:00:00Z');
    expect(positions()).toEqual([lab.source.source, before, after, ofContent(ROSA)].sort());
    await lab.restart();
    await lab.poll('2026-11-22T10:01:00Z');
    expect(lab.sessions().map((s) => s.user)).toEqual(['paul', 'olga', 'rosa']);
  });
});
