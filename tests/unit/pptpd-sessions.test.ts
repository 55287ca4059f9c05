import fc from 'fast-check';
import type { PptpdSession } from '../../backend/src/parsers/pptpd-records';
import { finalBytes, observedPptpdSession } from '../../backend/src/sources/pptpd/pptpd-sessions';
import { VanishedSessions } from '../../backend/src/sources/pptpd/vanished-sessions';

const GIB4 = 2 ** 32;

function session(extra: Partial<PptpdSession> = {}): PptpdSession {
  return {
    key: 'vpn1:4402:1000',
    host: 'vpn1',
    pid: 4402,
    pppdVersion: '2.4.9',
    startedAt: 1_000,
    lastSeenAt: 1_010,
    counterBits: 32,
    ...extra,
  };
}

describe('observedPptpdSession', () => {
  it('maps a pppd session to the tracker’s terms: calling number as real address, tunnel address as virtual', () => {
    const observed = observedPptpdSession(
      session({ user: 'dave', callingNumber: '198.18.3.150', remoteIp: '198.19.0.11', localIp: '198.19.0.1' }),
      { bytesIn: 5, bytesOut: 6 }
    );
    expect(observed).toEqual({
      key: 'vpn1:4402:1000',
      user: 'dave',
      commonName: 'dave',
      realAddress: '198.18.3.150',
      virtualIpv4: '198.19.0.11',
      connectedSince: 1_000,
      bytesIn: 5,
      bytesOut: 6,
    });
  });

  it('names a session nobody logged in to (unknown), with no address rather than a made-up one', () => {
    expect(observedPptpdSession(session(), { bytesIn: 0, bytesOut: 0 })).toMatchObject({
      user: '(unknown)',
      realAddress: '',
      virtualIpv4: undefined,
    });
  });
});

describe('finalBytes', () => {
  it('adds the wraps a 32-bit count lost, as the last interface reading shows', () => {
    const closed = session({ bytesOut: 705_032_704, bytesIn: 1_234_567 });
    expect(finalBytes(closed, { bytesIn: 1_200_000, bytesOut: 4_999_000_000 })).toEqual({
      bytesIn: 1_234_567,
      bytesOut: 5_000_000_000,
    });
    expect(finalBytes(closed, null)).toEqual({ bytesIn: 1_234_567, bytesOut: 705_032_704 });
  });

  it('never goes below the last reading, nor unwraps a 64-bit count', () => {
    const closed = session({ counterBits: 64, bytesOut: 64_000, bytesIn: 5_100 });
    expect(finalBytes(closed, { bytesIn: 5_200, bytesOut: 64_100 })).toEqual({ bytesIn: 5_200, bytesOut: 64_100 });
    expect(finalBytes(session({ counterBits: 64 }), { bytesIn: 7, bytesOut: 8 })).toEqual({ bytesIn: 7, bytesOut: 8 });
  });

  it('gives the smallest total with the printed remainder that is not below the reading', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 20 }),
        fc.integer({ min: 0, max: GIB4 - 1 - 2 ** 20 }),
        (truth, overhead, sinceReading) => {
          // a reading taken `sinceReading` bytes before the end, `overhead` ahead of pppd's count
          const reading = Math.max(0, truth - sinceReading) + overhead;
          const closed = session({ bytesOut: truth % GIB4, bytesIn: 0 });
          const { bytesOut } = finalBytes(closed, { bytesIn: 0, bytesOut: reading });
          expect(bytesOut).toBe(Math.max(truth, reading));
        }
      )
    );
  });
});

describe('VanishedSessions', () => {
  it('ends a session whose interface is missing at two polls in a row, at the last poll that saw it', () => {
    const rule = new VanishedSessions();
    const dave = session();
    expect(rule.check(dave, true, 2_000)).toEqual({ state: 'present' });
    expect(rule.check(dave, false, 2_010)).toEqual({ state: 'missing' });
    expect(rule.check(dave, false, 2_020)).toEqual({ state: 'vanished', endedAt: 2_000 });
  });

  it('starts counting again when its pppd logs a line, or the interface comes back', () => {
    const rule = new VanishedSessions();
    expect(rule.check(session(), false, 2_000)).toEqual({ state: 'missing' });
    expect(rule.check(session({ lastSeenAt: 2_005 }), false, 2_010)).toEqual({ state: 'missing' });
    expect(rule.check(session({ lastSeenAt: 2_005 }), true, 2_020)).toEqual({ state: 'present' });
    expect(rule.check(session({ lastSeenAt: 2_005 }), false, 2_030)).toEqual({ state: 'missing' });
    expect(rule.check(session({ lastSeenAt: 2_005 }), false, 2_040)).toEqual({ state: 'vanished', endedAt: 2_020 });
  });

  it('ends a session never seen with its interface at its last log line', () => {
    const rule = new VanishedSessions();
    rule.check(session(), false, 2_000);
    expect(rule.check(session(), false, 2_010)).toEqual({ state: 'vanished', endedAt: 1_010 });
  });

  it('forgets sessions that are no longer open', () => {
    const rule = new VanishedSessions();
    rule.check(session(), false, 2_000);
    rule.keepOnly(new Set());
    expect(rule.check(session(), false, 2_010)).toEqual({ state: 'missing' });
  });
});
