import fc from 'fast-check';
import {
  counterDelta,
  diffSnapshot,
  sessionDetails,
  type LiveSession,
  type LiveSessions,
} from '../../backend/src/tracker/snapshot-diff';
import type { ObservedSession } from '../../backend/src/model';

const observed = (key: string, bytesIn: number, bytesOut: number, connectedSince = 1000): ObservedSession => ({
  key,
  user: `user-${key}`,
  commonName: `user-${key}`,
  realAddress: '198.18.0.2:40000',
  connectedSince,
  bytesIn,
  bytesOut,
});

const live = (key: string, bytesIn: number, bytesOut: number): LiveSession => ({
  id: Number(key.replace(/\D/g, '')) || 1,
  key,
  user: `user-${key}`,
  bytesIn,
  bytesOut,
  connectedSince: 1000,
  lastSeen: 1000,
  details: sessionDetails(observed(key, bytesIn, bytesOut)),
});

/** As the tracker keeps them: every session by key, and by client id the latest to claim it. */
const asMap = (sessions: LiveSession[]): LiveSessions => ({
  byKey: new Map(sessions.map((s) => [s.key, s])),
  byClientId: new Map(sessions.flatMap((s) => (s.clientId === undefined ? [] : [[s.clientId, s] as const]))),
});

const NONE = asMap([]);

/** A status-file session: its key is its client id and connected-since (see observedSession). */
const withClientId = (clientId: number, connectedSince: number, bytes: number): ObservedSession => ({
  ...observed(`cid:${clientId}:${connectedSince}`, bytes, bytes, connectedSince),
  clientId,
});

const liveWithClientId = (clientId: number, connectedSince: number, bytes: number): LiveSession => ({
  ...live(`cid:${clientId}:${connectedSince}`, bytes, bytes),
  id: clientId * 10_000 + connectedSince,
  clientId,
  connectedSince,
});

describe('diffSnapshot', () => {
  it('opens sessions it has not seen and continues known ones with their deltas', () => {
    const diff = diffSnapshot(
      asMap([live('a1', 100, 50)]),
      { server: 's', ts: 2000, sessions: [observed('a1', 150, 80), observed('b2', 10, 5, 1990)] },
      1990
    );
    expect(diff.opened.map((o) => o.observed.key)).toEqual(['b2']);
    expect(diff.continued).toHaveLength(1);
    expect(diff.continued[0]).toMatchObject({ deltaIn: 50, deltaOut: 30, reset: false });
    expect(diff.closed).toEqual([]);
  });

  it("notices when a session's user or addresses changed, so only then are they rewritten", () => {
    const known = asMap([live('a1', 1, 1)]);
    const same = diffSnapshot(known, { server: 's', ts: 2000, sessions: [observed('a1', 2, 2)] }, 1990);
    const moved = diffSnapshot(
      known,
      { server: 's', ts: 2000, sessions: [{ ...observed('a1', 2, 2), virtualIpv4: '198.19.0.9' }] },
      1990
    );
    expect(same.continued[0].detailsChanged).toBe(false);
    expect(moved.continued[0].detailsChanged).toBe(true);
  });

  it('ends a session that vanished from the report', () => {
    const diff = diffSnapshot(
      asMap([live('a1', 1, 1), live('b2', 1, 1)]),
      { server: 's', ts: 2000, sessions: [observed('a1', 1, 1)] },
      1990
    );
    expect(diff.closed.map((s) => s.key)).toEqual(['b2']);
  });

  it('treats a counter that went backwards as a restart from zero', () => {
    const diff = diffSnapshot(
      asMap([live('a1', 5000, 7000)]),
      { server: 's', ts: 2000, sessions: [observed('a1', 300, 7100)] },
      1990
    );
    expect(diff.continued[0]).toMatchObject({ deltaIn: 300, deltaOut: 100, reset: true });
  });

  it('counts a new session from zero only when it began after the previous poll', () => {
    const snapshot = { server: 's', ts: 2000, sessions: [observed('old', 9, 9, 1500), observed('new', 9, 9, 1995)] };
    const diff = diffSnapshot(NONE, snapshot, 1990);
    expect(diff.opened.map((o) => [o.observed.key, o.countFromZero])).toEqual([
      ['old', false],
      ['new', true],
    ]);
    expect(diffSnapshot(NONE, snapshot, null).opened.every((o) => !o.countFromZero)).toBe(true);
  });

  it('keeps the first row when a report lists one identity twice', () => {
    const diff = diffSnapshot(
      NONE,
      { server: 's', ts: 2000, sessions: [observed('a1', 1, 1), observed('a1', 2, 2)] },
      null
    );
    expect(diff.opened).toHaveLength(1);
    expect(diff.opened[0].observed.bytesIn).toBe(1);
  });

  it('finds a session by client id and connected-since, and a reused client id as a new session', () => {
    const diff = diffSnapshot(
      asMap([liveWithClientId(5, 1000, 10)]),
      { server: 's', ts: 2000, sessions: [withClientId(5, 1000, 30), withClientId(6, 1000, 1)] },
      1990
    );
    expect(diff.continued.map((c) => [c.live.key, c.deltaIn])).toEqual([['cid:5:1000', 20]]);
    expect(diff.opened.map((o) => o.observed.key)).toEqual(['cid:6:1000']);

    // OpenVPN restarted and handed out client id 5 again: another session.
    const restarted = diffSnapshot(
      asMap([liveWithClientId(5, 1000, 10)]),
      { server: 's', ts: 2000, sessions: [withClientId(5, 1900, 3)] },
      1990
    );
    expect(restarted.opened.map((o) => o.observed.key)).toEqual(['cid:5:1900']);
    expect(restarted.closed.map((s) => s.key)).toEqual(['cid:5:1000']);
  });

  it('still continues a session whose client id a newer live session claimed', () => {
    // Both open in storage (vpnscope was down across an OpenVPN restart); the index by client id
    // holds only the later one, the index by key both.
    const older = liveWithClientId(5, 1000, 10);
    const newer = liveWithClientId(5, 1900, 10);
    const live: LiveSessions = {
      byKey: new Map([older, newer].map((s) => [s.key, s])),
      byClientId: new Map([[5, newer]]),
    };
    const diff = diffSnapshot(live, { server: 's', ts: 2000, sessions: [withClientId(5, 1000, 15)] }, 1990);
    expect(diff.continued.map((c) => [c.live.key, c.deltaIn])).toEqual([['cid:5:1000', 5]]);
    expect(diff.opened).toEqual([]);
    expect(diff.closed.map((s) => s.key)).toEqual(['cid:5:1900']);
  });

  it('never produces a negative delta, and deltas sum to the growth of a counter without resets', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 2 ** 40 }), { minLength: 1, maxLength: 50 }), (readings) => {
        let total = 0;
        for (let i = 1; i < readings.length; i++) {
          const delta = counterDelta(readings[i - 1], readings[i]);
          expect(delta).toBeGreaterThanOrEqual(0);
          total += delta;
        }
        const monotonic = readings.every((r, i) => i === 0 || r >= readings[i - 1]);
        if (monotonic) {
          expect(total).toBe(readings[readings.length - 1] - readings[0]);
        }
      })
    );
  });
});
