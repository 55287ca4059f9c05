import fc from 'fast-check';
import {
  formatDuration,
  formatLocalTime,
  formatPptpdTable,
  formatSize,
  PptpdUserTotals,
} from '../../backend/src/commands/pptpd-table';
import type { PptpdSession } from '../../backend/src/parsers/pptpd-records';

const at = (iso: string): number => Date.parse(iso) / 1000;

function session(user: string | undefined, startIso: string, extra: Partial<PptpdSession> = {}): PptpdSession {
  const startedAt = at(startIso);
  return {
    key: `vpn1:${startedAt}`,
    host: 'vpn1',
    pid: 100,
    pppdVersion: '2.4.9',
    startedAt,
    lastSeenAt: startedAt,
    counterBits: 32,
    ...(user === undefined ? {} : { user }),
    ...extra,
  };
}

const ended = (user: string | undefined, startIso: string, endIso: string, extra: Partial<PptpdSession> = {}) =>
  session(user, startIso, { endedAt: at(endIso), lastSeenAt: at(endIso), endReason: 'peer-terminated', ...extra });

describe('PptpdUserTotals', () => {
  const totals = new PptpdUserTotals();
  totals.addEnded(
    ended('mark', '2026-11-20T08:00:00Z', '2026-11-20T09:00:00Z', {
      bytesOut: 3_000_000,
      bytesIn: 200_000,
      callingNumber: '198.18.0.15',
      remoteIp: '198.19.0.10',
    })
  );
  totals.addEnded(
    ended('joe', '2026-11-20T10:00:00Z', '2026-11-20T10:30:00Z', {
      bytesOut: 1024,
      bytesIn: 512,
      callingNumber: '198.18.0.12',
      remoteIp: '198.19.0.11',
    })
  );
  totals.addEnded(ended(undefined, '2026-11-20T11:00:00Z', '2026-11-20T11:01:00Z'));
  const markNow = session('mark', '2026-11-21T12:47:09Z', {
    interface: 'ppp0',
    callingNumber: '198.18.0.16',
    remoteIp: '198.19.0.12',
  });

  it('sums ended sessions per user and shows the current session of those online', () => {
    const rows = totals.rows([{ session: markNow, current: { bytesIn: 21_000, bytesOut: 107_700 } }]);
    expect(rows.map((r) => r.user)).toEqual(['joe', 'mark', '(unknown)']);
    expect(rows[1]).toEqual({
      user: 'mark',
      openSessions: 1,
      sessions: 2,
      tx: 3_000_000,
      rx: 200_000,
      remoteIp: '198.18.0.16',
      localIp: '198.19.0.12',
      interface: 'ppp0',
      currentTx: 107_700,
      currentRx: 21_000,
      since: at('2026-11-21T12:47:09Z'),
      lastSeen: null,
    });
    expect(rows[0]).toMatchObject({ openSessions: 0, sessions: 1, remoteIp: '198.18.0.12', interface: null });
    expect(rows[0].lastSeen).toBe(at('2026-11-20T10:30:00Z'));
  });

  it('counts a session that ended without its Exit. line as ended, without keeping it', () => {
    const gone = session('mark', '2026-11-21T12:47:09Z', { lastSeenAt: at('2026-11-21T13:00:00Z') });
    const mark = totals.rows([], [gone]).find((r) => r.user === 'mark');
    expect(mark).toMatchObject({ openSessions: 0, sessions: 2, lastSeen: at('2026-11-21T13:00:00Z') });
    expect(totals.rows([]).find((r) => r.user === 'mark')?.sessions).toBe(1);
  });

  it('prints pptpd-monitor’s table: online users starred, offline addresses in parentheses, durations', () => {
    const rows = totals.rows([{ session: markNow, current: { bytesIn: 21_000, bytesOut: 107_700 } }]);
    expect(formatPptpdTable(rows, at('2026-11-21T17:00:00Z'), 3)).toBe(
      [
        'PPTPD Client Statistics',
        '',
        'Username              #      TX      RX         Remote IP          Local IP   Int     CTX     CRX  Duration/Last seen',
        '  joe               0/1   1.0KB  512.0b     (198.18.0.12)     (198.19.0.11)     -    0.0b    0.0b 2026-11-20 10:30:00',
        '* mark              1/2   2.9MB 195.3KB       198.18.0.16       198.19.0.12  ppp0 105.2KB  20.5KB             4:12:51',
        '  (unknown)         0/1    0.0b    0.0b                 -                 -     -    0.0b    0.0b 2026-11-20 11:01:00',
        '',
        'Failed logins: 3',
        '',
      ].join('\n')
    );
  });

  it('widens a column rather than let a long value run into the next', () => {
    const t = new PptpdUserTotals();
    t.addEnded(ended('a-very-long-user-name', '2026-11-20T08:00:00Z', '2026-11-20T09:00:00Z', { bytesOut: 10 ** 15 }));
    const online = session('carl', '2026-11-21T00:00:00Z', { interface: 'ppp1000', remoteIp: '198.19.100.100' });
    const [, , header, longName, carl] = formatPptpdTable(
      t.rows([{ session: online, current: null }]),
      at('2026-11-21T00:00:05Z')
    ).split('\n');
    expect(longName).toMatch(/^ {2}a-very-long-user-name +0\/1 +909\.5TB /);
    expect(carl).toMatch(/ 198\.19\.100\.100 +ppp1000 +0\.0b +0\.0b +0:00:05$/);
    expect(header.indexOf('#')).toBe(longName.indexOf('0/1') + 2);
    expect(header.indexOf('Int') + 2).toBe(carl.indexOf('ppp1000') + 6);
  });
});

describe('table formats', () => {
  it('prints sizes as pptpd-monitor does', () => {
    expect([0, 1023, 1024, 1536, 94.8 * 1024 ** 2, 1024 ** 8].map(formatSize)).toEqual([
      '0.0b',
      '1023.0b',
      '1.0KB',
      '1.5KB',
      '94.8MB',
      '1.0YB',
    ]);
  });

  it('prints durations like Python’s timedelta', () => {
    expect([0, 59, 15_171, 86_400, 2 * 86_400 + 309].map(formatDuration)).toEqual([
      '0:00:00',
      '0:00:59',
      '4:12:51',
      '1 day, 0:00:00',
      '2 days, 0:05:09',
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), (seconds) => {
        const m = /^(?:(\d+) days?, )?(\d+):(\d\d):(\d\d)$/.exec(formatDuration(seconds));
        expect(m).not.toBeNull();
        const [, days = '0', h, min, s] = m as RegExpExecArray;
        expect(Number(days) * 86_400 + Number(h) * 3600 + Number(min) * 60 + Number(s)).toBe(seconds);
        expect(Number(h)).toBeLessThan(24);
      })
    );
  });

  it('prints a last-seen time in this machine’s zone (UTC under test)', () => {
    expect(formatLocalTime(at('2026-01-02T03:04:05Z'))).toBe('2026-01-02 03:04:05');
  });
});
