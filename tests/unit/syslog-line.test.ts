import fc from 'fast-check';
import { isTorn, parseSyslogLine, type SyslogLineResult } from '../../backend/src/parsers/syslog-line';
import { SyslogYearInferrer } from '../../backend/src/parsers/syslog-year';
import { utc } from '../support/pptpd-replay';

const inYear = (year: number) => new SyslogYearInferrer({ year }, 'utc');
const parse = (line: string, years = inYear(2026)): SyslogLineResult => parseSyslogLine(line, years);

describe('parseSyslogLine: classic BSD lines', () => {
  it('splits timestamp, host, program, PID and message', () => {
    expect(parse('Nov 21 15:36:48 vpn1 pppd[4242]: local  IP address 198.19.0.1')).toEqual({
      timestamp: utc('2026-11-21T15:36:48Z'),
      host: 'vpn1',
      program: 'pppd',
      pid: 4242,
      message: 'local  IP address 198.19.0.1',
    });
  });

  it('reads space-padded days and keeps colons inside the message', () => {
    expect(parse('Dec  2 08:00:01 vpn1 pptpd[5099]: CTRL: Client 198.18.5.5 control connection started')).toMatchObject(
      {
        timestamp: utc('2026-12-02T08:00:01Z'),
        program: 'pptpd',
        message: 'CTRL: Client 198.18.5.5 control connection started',
      }
    );
  });

  it('gives a null PID to tags without one and ignores a trailing CR', () => {
    expect(parse('Nov 21 15:36:48 vpn1 kernel: [ 12.345678] ppp0: renamed\r')).toMatchObject({
      program: 'kernel',
      pid: null,
      message: '[ 12.345678] ppp0: renamed',
    });
  });

  it('keeps an empty message', () => {
    expect(parse('Nov 21 15:36:48 vpn1 pppd[7]:')).toMatchObject({ pid: 7, message: '' });
  });

  it('converts local time through the process zone when asked to', () => {
    const local = parse('Nov 21 15:36:48 vpn1 pppd[7]: Exit.', new SyslogYearInferrer({ year: 2026 }));
    expect(local).toMatchObject({ timestamp: new Date(2026, 10, 21, 15, 36, 48).getTime() / 1000 });
  });
});

describe('parseSyslogLine: ISO timestamps (rsyslog file format, journalctl short-iso)', () => {
  it.each([
    ['2026-11-21T15:36:48.123456+00:00 vpn1 pppd[42]: Exit.', '2026-11-21T15:36:48Z'],
    ['2026-11-21T15:36:48.123456+01:00 vpn1 pppd[42]: Exit.', '2026-11-21T14:36:48Z'],
    ['2026-11-21T15:36:48+0100 vpn1 pppd[42]: Exit.', '2026-11-21T14:36:48Z'],
    ['2026-11-21T09:36:48-05:30 vpn1 pppd[42]: Exit.', '2026-11-21T15:06:48Z'],
    ['2026-11-21T15:36:48Z vpn1 pppd[42]: Exit.', '2026-11-21T15:36:48Z'],
  ])('%s', (line, instant) => {
    expect(parse(line)).toEqual({ timestamp: utc(instant), host: 'vpn1', program: 'pppd', pid: 42, message: 'Exit.' });
  });
});

describe('parseSyslogLine: RFC 5424', () => {
  it('reads header fields with no structured data', () => {
    expect(parse('<30>1 2026-11-21T15:36:48.123+01:00 vpn1 pppd 4242 - - Exit.')).toEqual({
      timestamp: utc('2026-11-21T14:36:48Z'),
      host: 'vpn1',
      program: 'pppd',
      pid: 4242,
      message: 'Exit.',
    });
  });

  it('skips structured data, even with a bracket inside a quoted value, and a BOM', () => {
    const line = '<30>1 2026-11-21T14:36:48Z vpn1 pppd 4242 ID7 [meta note="a]b \\"q\\""][x y="1"] \uFEFFExit.';
    expect(parse(line)).toMatchObject({ pid: 4242, message: 'Exit.' });
  });

  it('turns NILVALUE host and PROCID into empty host and null PID', () => {
    expect(parse('<30>1 2026-11-21T14:36:48Z - pppd - - - Exit.')).toMatchObject({ host: '', pid: null });
  });
});

describe('parseSyslogLine: lines that are not ours', () => {
  it.each([
    '',
    'hello world',
    'Nov is a cold month',
    'Nov 21 15:36:48 vpn1 last message repeated 3 times',
    'Nov 21 15:36:48 vpn1 -- MARK --',
    '12345 numbers first',
    '<x>1 2026-11-21T14:36:48Z vpn1 pppd 1 - - Exit.',
  ])('%j gives null', (line) => {
    expect(parse(line)).toBeNull();
  });
});

describe('parseSyslogLine: torn lines', () => {
  it.each([
    ['Nov 21 15:3', 'inside its timestamp'],
    ['Nov 21 15:36:48 vpn1', 'after the host'],
    ['Nov 21 15:36:48 vpn1 pp', 'inside the program tag'],
    ['Nov 21 15:36:48 vpn1 pppd[42', 'inside the PID'],
    ['Nov 21 15:36:48 vpn1 pppd[42]', 'after the PID'],
    ['2026-11-21T15:3', 'inside its timestamp'],
    ['<30>1 2026-11-21T14:36:48Z vpn1 pppd 42 - [meta a="1"', 'not closed'],
    ['<30>1 - vpn1 pppd 42 - - Exit.', 'without a timestamp'],
  ])('%j is torn (%s)', (line, reason) => {
    const result = parse(line);
    expect(isTorn(result) && result.torn).toContain(reason);
  });
});

describe('SyslogYearInferrer', () => {
  it('moves to the next year when December turns into January', () => {
    const years = inYear(2026);
    expect(parse('Dec 31 23:59:59 h p[1]: a', years)).toMatchObject({ timestamp: utc('2026-12-31T23:59:59Z') });
    expect(parse('Jan  1 00:00:01 h p[1]: b', years)).toMatchObject({ timestamp: utc('2027-01-01T00:00:01Z') });
    expect(parse('Feb  3 10:00:00 h p[1]: c', years)).toMatchObject({ timestamp: utc('2027-02-03T10:00:00Z') });
  });

  it('keeps a late December straggler in the old year without leaving the new one', () => {
    const years = inYear(2026);
    parse('Dec 31 23:59:58 h p[1]: a', years);
    parse('Jan  1 00:00:00 h p[1]: b', years);
    expect(parse('Dec 31 23:59:59 h p[1]: late', years)).toMatchObject({ timestamp: utc('2026-12-31T23:59:59Z') });
    expect(parse('Jan  1 00:00:02 h p[1]: c', years)).toMatchObject({ timestamp: utc('2027-01-01T00:00:02Z') });
  });

  it('anchored by a file mtime, places a first line after that date in the year before', () => {
    const mtime = utc('2027-01-04T06:25:00Z');
    const years = new SyslogYearInferrer({ notAfter: mtime }, 'utc');
    expect(parse('Dec 28 06:25:01 h p[1]: a', years)).toMatchObject({ timestamp: utc('2026-12-28T06:25:01Z') });
    expect(parse('Jan  3 12:00:00 h p[1]: b', years)).toMatchObject({ timestamp: utc('2027-01-03T12:00:00Z') });
  });

  it('anchored by a file mtime, keeps a first line before that date in the same year', () => {
    const years = new SyslogYearInferrer({ notAfter: utc('2026-11-22T00:00:00Z') }, 'utc');
    expect(parse('Nov 21 15:36:48 h p[1]: a', years)).toMatchObject({ timestamp: utc('2026-11-21T15:36:48Z') });
  });
});

describe('parseSyslogLine properties', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  it('never throws, whatever the line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (line) => {
        parse(line);
      }),
      { numRuns: 2000 }
    );
  });

  it('never throws on any prefix of a well-formed line of each layout', () => {
    const lines = [
      'Nov 21 15:36:48 vpn1 pppd[4242]: remote IP address 198.19.0.10',
      '2026-11-21T15:36:48.123456+01:00 vpn1 pppd[4242]: Exit.',
      '<30>1 2026-11-21T15:36:48.123+01:00 vpn1 pppd 4242 - [m a="]"] Exit.',
    ];
    for (const line of lines) {
      for (let end = 0; end <= line.length; end++) {
        expect(() => parse(line.slice(0, end))).not.toThrow();
      }
    }
  });

  it('reads back every field of a classic line built from them', () => {
    fc.assert(
      fc.property(
        fc.record({
          month: fc.integer({ min: 0, max: 11 }),
          day: fc.integer({ min: 1, max: 28 }),
          hour: fc.integer({ min: 0, max: 23 }),
          minute: fc.integer({ min: 0, max: 59 }),
          second: fc.integer({ min: 0, max: 59 }),
          host: token,
          program: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,10}$/),
          pid: fc.option(fc.integer({ min: 1, max: 4_194_304 }), { nil: null }),
          message: fc.string({ maxLength: 60 }).filter((m) => !m.includes('\n') && !m.endsWith('\r')),
        }),
        (f) => {
          const pad = (n: number) => String(n).padStart(2, '0');
          const stamp = `${months[f.month]} ${String(f.day).padStart(2, ' ')} ${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
          const tag = f.pid === null ? f.program : `${f.program}[${f.pid}]`;
          const parsed = parse(`${stamp} ${f.host} ${tag}: ${f.message}`);
          expect(parsed).toEqual({
            timestamp: Date.UTC(2026, f.month, f.day, f.hour, f.minute, f.second) / 1000,
            host: f.host,
            program: f.program,
            pid: f.pid,
            message: f.message,
          });
        }
      )
    );
  });
});
