import fc from 'fast-check';
import { mayHaveWrapped, unwrapPppdCount } from '../../backend/src/parsers/pppd-counters';
import { PppdSessionAssembler } from '../../backend/src/parsers/pppd-session';
import type { PptpdOutput } from '../../backend/src/parsers/pptpd-records';
import { SyslogYearInferrer } from '../../backend/src/parsers/syslog-year';
import { readPptpdFixture, replayPptpdLog, utc } from '../support/pptpd-replay';

const byUser = <T extends { user?: string }>(records: T[]) => new Map(records.map((r) => [r.user, r]));

describe('PppdSessionAssembler on interleaved logins from two servers', () => {
  const replay = replayPptpdLog(readPptpdFixture('logins.log'));
  const closed = byUser(replay.closed);

  it('closes a CHAP session whose user only the pptpd-logwtmp ip-up line names (pppd 2.4)', () => {
    expect(closed.get('alice')).toEqual({
      key: `vpn1:4242:${utc('2026-11-21T15:36:47Z')}`,
      host: 'vpn1',
      pid: 4242,
      pppdVersion: '2.4.9',
      startedAt: utc('2026-11-21T15:36:47Z'),
      lastSeenAt: utc('2026-11-21T15:49:02Z'),
      endedAt: utc('2026-11-21T15:49:02Z'),
      interface: 'ppp0',
      tty: '/dev/pts/1',
      callingNumber: '198.18.7.21',
      user: 'alice',
      localIp: '198.19.0.1',
      remoteIp: '198.19.0.10',
      endReason: 'peer-terminated',
      connectSeconds: 744,
      bytesOut: 48211234,
      bytesIn: 5523111,
      counterBits: 32,
    });
  });

  it('closes a PAP session of pppd 2.5.2 with its method, 64-bit counts and hangup', () => {
    expect(closed.get('bob')).toMatchObject({
      host: 'vpn2',
      pid: 4242,
      authMethod: 'PAP',
      callingNumber: '198.18.44.3',
      remoteIp: '198.19.8.20',
      endReason: 'hangup',
      connectSeconds: 1050,
      bytesOut: 9120333,
      bytesIn: 1200456,
      counterBits: 64,
    });
  });

  it('keeps the same PID on two hosts apart', () => {
    expect(closed.get('alice')?.key).not.toEqual(closed.get('bob')?.key);
    expect([closed.get('alice')?.host, closed.get('bob')?.host]).toEqual(['vpn1', 'vpn2']);
  });

  it('costs a session only the torn line: erin closes without byte counts', () => {
    const erin = closed.get('erin');
    expect(erin).toMatchObject({
      endReason: 'peer-terminated',
      connectSeconds: 1770,
      endedAt: utc('2026-11-21T16:20:15Z'),
    });
    expect(erin?.bytesOut).toBeUndefined();
    expect(replay.issues).toEqual([
      { line: 124, message: 'pppd[4512]: "Sent/received" line is cut short or garbled' },
      { line: 128, message: 'torn line: line ends inside the PID' },
    ]);
  });

  it('keeps sessions without an Exit. open, with the interface to read live counters from', () => {
    const open = replay.assembler.openSessions();
    expect(open.map((s) => [s.host, s.interface, s.user])).toEqual([
      ['vpn1', 'ppp1', 'dave'],
      ['vpn2', 'ppp1', 'CORP\\frank'],
    ]);
    expect(open.find((s) => s.user === 'CORP\\frank')).toMatchObject({ authMethod: 'CHAP', remoteIp: '198.19.8.21' });
  });

  it('turns failed CHAP and PAP logins into auth failures with the address from pptpd', () => {
    expect(replay.failures).toEqual([
      {
        ts: utc('2026-11-21T15:40:13Z'),
        host: 'vpn1',
        pid: 4321,
        sessionKey: `vpn1:4321:${utc('2026-11-21T15:40:12Z')}`,
        user: 'carol',
        method: 'CHAP',
        detail: 'CHAP authentication failed',
        callingNumber: '198.18.9.99',
      },
      expect.objectContaining({ host: 'vpn2', user: 'mallory', method: 'PAP', callingNumber: '198.18.200.14' }),
    ]);
  });

  it('makes no session of a failed login', () => {
    const users = [...replay.opened, ...replay.closed].map((s) => s.user);
    expect(users).not.toContain('carol');
    expect(replay.opened.map((s) => s.pid)).not.toContain(4321);
  });

  it('opens each session when its link comes up and reports later details as updates', () => {
    expect(replay.outputs.filter((o) => o.kind !== 'issue').map(describeOutput)).toEqual([
      'opened vpn1:4242 -',
      'updated vpn1:4242 alice',
      'opened vpn2:4242 bob',
      'auth-failure carol',
      'auth-failure mallory',
      'opened vpn1:4402 -',
      'updated vpn1:4402 dave',
      'opened vpn2:4461 CORP\\frank',
      'closed vpn1:4242 alice',
      'opened vpn1:4512 -',
      'updated vpn1:4512 erin',
      'closed vpn2:4242 bob',
      'closed vpn1:4512 erin',
    ]);
  });

  it('resumes from saved state exactly where a single pass would be, wherever the log is cut', () => {
    const lines = readPptpdFixture('logins.log').split('\n');
    for (let cut = 0; cut <= lines.length; cut++) {
      const years = new SyslogYearInferrer({ year: 2026 }, 'utc');
      const first = new PppdSessionAssembler();
      const outputs: PptpdOutput[] = [];
      let resumed: PppdSessionAssembler | undefined;
      lines.forEach((line, index) => {
        const assembler = index < cut ? first : (resumed ??= new PppdSessionAssembler(roundTrip(first.state())));
        outputs.push(...assembler.acceptLine(line, index + 1, years));
      });
      expect(outputs).toEqual(replay.outputs);
    }
  });
});

describe('PppdSessionAssembler on a reused PID', () => {
  const replay = replayPptpdLog(readPptpdFixture('pid-reuse.log'));

  it('gives each pppd with the same PID its own session', () => {
    expect(replay.closed.map((s) => [s.user, s.pid])).toEqual([
      ['gina', 5100],
      ['hank', 5100],
      ['ivan', 5100],
    ]);
    expect(new Set(replay.closed.map((s) => s.key)).size).toBe(3);
  });

  it('closes a session whose pppd never logged Exit. (a crash) as lost when its PID starts again', () => {
    const hank = replay.closed[1];
    expect(hank).toMatchObject({ endReason: 'lost', endedAt: utc('2026-12-04T10:00:01Z') });
    expect(replay.issues).toEqual([
      { line: 34, message: 'pppd[5100] on vpn1 started again without an "Exit." line: closing its earlier session' },
    ]);
  });

  it('reads an echo timeout as the end reason', () => {
    expect(replay.closed[2]).toMatchObject({ user: 'ivan', endReason: 'echo-timeout', connectSeconds: 870 });
  });
});

describe('PppdSessionAssembler across the new year', () => {
  const replay = replayPptpdLog(readPptpdFixture('year-turn.log'));

  it('ends a session that began on Dec 31 on Jan 1 of the next year', () => {
    expect(replay.closed).toEqual([
      expect.objectContaining({
        user: 'kate',
        startedAt: utc('2026-12-31T23:50:10Z'),
        endedAt: utc('2027-01-01T00:20:40Z'),
        connectSeconds: 1830,
      }),
    ]);
  });

  it('keeps a Dec 31 line logged after a Jan 1 line in the old year', () => {
    expect(replay.failures).toEqual([
      expect.objectContaining({ user: 'guest', ts: utc('2026-12-31T23:59:59Z'), callingNumber: '198.18.31.66' }),
    ]);
    expect(replay.assembler.openSessions()).toEqual([
      expect.objectContaining({ user: 'liam', startedAt: utc('2027-01-01T00:00:03Z'), interface: 'ppp1' }),
    ]);
  });
});

describe('PppdSessionAssembler with 32-bit byte counters', () => {
  const replay = replayPptpdLog(readPptpdFixture('wrap.log'));
  const [mona, nils] = replay.closed;

  it('marks counts of pppd before 2.5.2 as modulo 2^32 and newer ones as exact', () => {
    expect(mona).toMatchObject({ pppdVersion: '2.4.5', counterBits: 32, bytesOut: 705_032_704 });
    expect(nils).toMatchObject({ pppdVersion: '2.5.2', counterBits: 64, bytesOut: 6_000_000_000, endReason: 'signal' });
  });

  it('recovers the wrapped count from a live interface counter read while the session was open', () => {
    expect(unwrapPppdCount(mona.bytesOut!, mona.counterBits, 4_990_000_000)).toBe(5_000_000_000);
    expect(unwrapPppdCount(mona.bytesOut!, mona.counterBits, 600_000_000)).toBe(705_032_704);
    expect(unwrapPppdCount(nils.bytesOut!, nils.counterBits, 7_000_000_000)).toBe(6_000_000_000);
  });

  it('can only say from the log whether a wrap was possible, given the fastest the link goes', () => {
    const fastEthernet = 100e6 / 8;
    expect(mayHaveWrapped(mona.bytesOut!, 32, mona.connectSeconds, fastEthernet)).toBe(true);
    expect(mayHaveWrapped(1000, 32, 60, fastEthernet)).toBe(false);
    expect(mayHaveWrapped(1000, 32, undefined, fastEthernet)).toBe(true);
    expect(mayHaveWrapped(nils.bytesOut!, 64, nils.connectSeconds, fastEthernet)).toBe(false);
  });
});

describe('PppdSessionAssembler on ISO and RFC 5424 lines', () => {
  it('builds the same session from rsyslog, journald and RFC 5424 timestamps mixed', () => {
    const replay = replayPptpdLog(readPptpdFixture('formats.log'));
    expect(replay.issues).toEqual([]);
    expect(replay.closed).toEqual([
      expect.objectContaining({
        host: 'vpn4',
        user: 'judy',
        startedAt: utc('2026-11-21T14:36:47Z'),
        endedAt: utc('2026-11-21T15:06:48Z'),
        callingNumber: '198.18.77.7',
        localIp: '198.19.4.1',
        remoteIp: '198.19.4.9',
        bytesOut: 4096,
        bytesIn: 2048,
      }),
    ]);
  });
});

describe('PppdSessionAssembler on debug packet dumps', () => {
  const log = (...lines: string[]) =>
    lines.map((message, i) => `Nov 21 10:00:${String(i).padStart(2, '0')} h ${message}`).join('\n');

  it('skips the packets pppd logs with debug, but not a login whose user name looks like one', () => {
    const replay = replayPptpdLog(
      log(
        'pppd[9]: pppd 2.5.2 started by root, uid 0',
        'pppd[9]: Using interface ppp0',
        'pppd[9]: rcvd [CHAP Response id=0x3c <00>, name = "x]: sent [y"]',
        'pppd[9]: Peer x]: sent [y authenticated with CHAP',
        'pppd[9]: sent [LCP EchoReq id=0x1 magic=0x5d2c8a41]',
        'pppd[9]: remote IP address 198.19.0.5',
        'pppd[7]: rcvd [LCP EchoRep id=0x1 magic=0x5d2c8a41]'
      )
    );
    expect(replay.opened.map((s) => s.user)).toEqual(['x]: sent [y']);
    expect(replay.issues).toEqual([]);
  });
});

describe('PppdSessionAssembler on lines without a start', () => {
  const log = (...lines: string[]) =>
    lines.map((message, i) => `Nov 21 10:00:${String(i).padStart(2, '0')} h ${message}`).join('\n');

  it('counts one issue per unknown PID, makes no session, and forgets the PID at its Exit.', () => {
    const replay = replayPptpdLog(
      log(
        'pppd[9]: remote IP address 198.19.0.5',
        'pppd[9]: pptpd-logwtmp.so ip-up ppp0 zed 198.18.0.9',
        'pppd[9]: Sent 1 bytes, received 2 bytes.',
        'pppd[9]: Exit.',
        'pppd[9]: Modem hangup'
      )
    );
    expect(replay.outputs.map((o) => o.kind)).toEqual(['issue', 'issue']);
    expect(replay.issues.map((i) => i.line)).toEqual([1, 5]);
    expect(replay.assembler.openSessions()).toEqual([]);
  });

  it('says nothing about what pppd logs before its start line', () => {
    const replay = replayPptpdLog(
      log(
        'pppd[9]: Plugin /usr/lib/pptpd/pptpd-logwtmp.so loaded.',
        'pppd[9]: pptpd-logwtmp: $Version$',
        'pppd[9]: pppd 2.5.2 started by root, uid 0'
      )
    );
    expect(replay.outputs).toEqual([]);
  });

  it('closes a session as lost when another pppd takes its interface before it logged any end', () => {
    const replay = replayPptpdLog(
      log(
        'pppd[1]: pppd 2.5.2 started by root, uid 0',
        'pppd[1]: Using interface ppp0',
        'pppd[1]: remote IP address 198.19.0.5',
        'pppd[2]: pppd 2.5.2 started by root, uid 0',
        'pppd[2]: Using interface ppp0',
        'pppd[1]: Exit.'
      )
    );
    expect(replay.closed).toEqual([
      expect.objectContaining({ pid: 1, endReason: 'lost', endedAt: replay.opened[0].startedAt + 2 }),
    ]);
    expect(replay.issues.map((i) => i.line)).toEqual([5]);
  });

  it('closes a shutting-down session quietly when its interface is reused just before its Exit.', () => {
    const replay = replayPptpdLog(
      log(
        'pppd[1]: pppd 2.5.2 started by root, uid 0',
        'pppd[1]: Using interface ppp0',
        'pppd[1]: remote IP address 198.19.0.5',
        'pppd[1]: LCP terminated by peer',
        'pppd[1]: Sent 10 bytes, received 20 bytes.',
        'pppd[2]: pppd 2.5.2 started by root, uid 0',
        'pppd[2]: Using interface ppp0',
        'pppd[1]: Exit.'
      )
    );
    expect(replay.closed).toEqual([
      expect.objectContaining({ pid: 1, endReason: 'peer-terminated', bytesOut: 10, bytesIn: 20 }),
    ]);
    expect(replay.issues).toEqual([]);
  });
});

describe('PppdSessionAssembler properties', () => {
  const host = fc.constantFrom('vpn1', 'vpn2');
  const pid = fc.integer({ min: 100, max: 104 });
  const message = fc.oneof(
    fc.constant('pppd 2.4.9 started by root, uid 0'),
    fc.constant('pppd 2.5.2 started by root, uid 0'),
    fc.integer({ min: 0, max: 3 }).map((n) => `Using interface ppp${n}`),
    fc.integer({ min: 0, max: 3 }).map((n) => `Connect: ppp${n} <--> /dev/pts/${n}`),
    fc.constant('peer from calling number 198.18.0.7 authorized'),
    fc.constant('PAP peer authentication succeeded for u1'),
    fc.constant('Peer u2 authenticated with CHAP'),
    fc.constant('Peer u3 failed CHAP authentication'),
    fc.constant('PAP peer authentication failed for u4'),
    fc.constant('local  IP address 198.19.0.1'),
    fc.integer({ min: 2, max: 9 }).map((n) => `remote IP address 198.19.0.${n}`),
    fc.integer({ min: 0, max: 3 }).map((n) => `pptpd-logwtmp.so ip-up ppp${n} u5 198.18.0.8`),
    fc.constantFrom('LCP terminated by peer', 'Modem hangup', 'Connection terminated.', 'Connect time 1.5 minutes.'),
    fc.constant('Sent 123 bytes, received 456 bytes.'),
    fc.constant('Exit.'),
    fc.string({ maxLength: 30 })
  );
  const event = fc.oneof(
    { weight: 10, arbitrary: fc.record({ host, pid, program: fc.constant('pppd'), message }) },
    {
      weight: 1,
      arbitrary: fc.record({
        host,
        pid: fc.integer({ min: 95, max: 104 }),
        program: fc.constant('pptpd'),
        message: fc.oneof(
          fc.constant('CTRL: Client 198.18.0.7 control connection started'),
          fc.constant('CTRL: Client 198.18.0.7 control connection finished'),
          fc.integer({ min: 100, max: 104 }).map((n) => `CTRL: Reaping child PPP[${n}]`)
        ),
      }),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((raw) => ({ raw })) }
  );

  it('never throws and never invents a session without a start line', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 80 }), (events) => {
        const assembler = new PppdSessionAssembler();
        const years = new SyslogYearInferrer({ year: 2026 }, 'utc');
        const starts = new Set<string>();
        const opened = new Set<string>();
        const closed = new Set<string>();
        events.forEach((e, i) => {
          const ts = 1_000 + i;
          const stamp = `Nov 21 10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
          const line = 'raw' in e ? e.raw : `${stamp} ${e.host} ${e.program}[${e.pid}]: ${e.message}`;
          if (!('raw' in e) && e.program === 'pppd' && / started by /.test(e.message)) {
            starts.add(`${e.host}:${e.pid}:${utc('2026-11-21T10:00:00Z') + ts - 1_000}`);
          }
          for (const output of assembler.acceptLine(line, i + 1, years)) {
            if (output.kind === 'opened' || output.kind === 'updated' || output.kind === 'closed') {
              const { key } = output.session;
              expect(starts).toContain(key);
              expect(closed).not.toContain(key);
              if (output.kind === 'opened') {
                expect(opened).not.toContain(key);
                opened.add(key);
              } else {
                expect(opened).toContain(key);
              }
              if (output.kind === 'closed') {
                closed.add(key);
              }
            }
          }
        });
        for (const session of assembler.openSessions()) {
          expect(starts).toContain(session.key);
        }
      }),
      { numRuns: 500 }
    );
  });

  it('never throws on arbitrary text that mentions pppd', () => {
    const years = new SyslogYearInferrer({ year: 2026 }, 'utc');
    const assembler = new PppdSessionAssembler();
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (before, after) => {
        assembler.acceptLine(`${before}pppd[${after}`, 1, years);
        assembler.acceptLine(`Nov 21 10:00:00 h pppd[1]: ${after}`, 1, years);
        assembler.acceptLine(`Nov 21 10:00:00 h pptpd[1]: CTRL: ${after}`, 1, years);
      }),
      { numRuns: 1000 }
    );
  });
});

function describeOutput(output: PptpdOutput): string {
  if (output.kind === 'auth-failure') {
    return `auth-failure ${output.failure.user}`;
  }
  if (output.kind === 'issue') {
    return `issue ${output.issue.line}`;
  }
  return `${output.kind} ${output.session.host}:${output.session.pid} ${output.session.user ?? '-'}`;
}

function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
