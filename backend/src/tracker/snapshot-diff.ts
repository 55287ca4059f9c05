import type { ObservedSession, ServerSnapshot } from '../model';
import { detached, detachedOrNull } from './detached';

/** What the tracker remembers of a session that is open right now. */
export interface LiveSession {
  id: number;
  key: string;
  user: string;
  clientId?: number;
  /** Unix seconds; with the client id, what the session's identity is made of (see observedSession). */
  connectedSince: number;
  bytesIn: number;
  bytesOut: number;
  lastSeen: number;
  /** The descriptive columns as last written: lets a poll skip rewriting those that did not change. */
  details: SessionDetails;
}

export interface OpenedSession {
  observed: ObservedSession;
  /**
   * True when the session began after the previous poll, so its whole byte count is traffic of
   * this interval. Sessions already running when vpnscope first looks are only a baseline:
   * their earlier bytes belong to intervals we never saw and would show as a false spike.
   */
  countFromZero: boolean;
}

export interface ContinuedSession {
  live: LiveSession;
  observed: ObservedSession;
  deltaIn: number;
  deltaOut: number;
  /** A counter went backwards: it restarted from zero, so its new value is the delta. */
  reset: boolean;
  /** User, addresses or cipher differ from what was stored (e.g. a virtual address was assigned). */
  detailsChanged: boolean;
}

export interface SnapshotDiff {
  opened: OpenedSession[];
  continued: ContinuedSession[];
  /** Sessions that were live and are no longer listed: they ended. */
  closed: LiveSession[];
}

/** A server's open sessions, by identity key and (for those that have one) by OpenVPN client id. */
export interface LiveSessions {
  byKey: ReadonlyMap<string, LiveSession>;
  byClientId: ReadonlyMap<number, LiveSession>;
}

/**
 * The live session an observed one continues. A session with a client id is identified by that id
 * and its connected-since, which a number lookup finds without hashing a fresh key string per
 * session and poll; a miss still asks the keys, which also hold a stale session whose client id
 * a newer one took over.
 */
function continues(live: LiveSessions, observed: ObservedSession): LiveSession | undefined {
  if (observed.clientId !== undefined) {
    const known = live.byClientId.get(observed.clientId);
    if (known !== undefined && known.connectedSince === observed.connectedSince) {
      return known;
    }
  }
  return live.byKey.get(observed.key);
}

/** Compares what a poll saw with what was live: lifecycle and per-interval deltas. Pure. */
export function diffSnapshot(
  live: LiveSessions,
  snapshot: ServerSnapshot,
  previousPollAt: number | null
): SnapshotDiff {
  const opened: OpenedSession[] = [];
  const continued: ContinuedSession[] = [];
  // Sets of objects, not of keys: an object's hash is stored in it, a fresh key string's must be computed.
  const matched = new Set<LiveSession>();
  const openedKeys = new Set<string>();

  // a report listing one identity twice is malformed; the first row wins
  for (const observed of snapshot.sessions) {
    const known = continues(live, observed);
    if (!known) {
      if (!openedKeys.has(observed.key)) {
        openedKeys.add(observed.key);
        opened.push({ observed, countFromZero: previousPollAt !== null && observed.connectedSince >= previousPollAt });
      }
      continue;
    }
    if (matched.has(known)) {
      continue;
    }
    matched.add(known);
    const deltaIn = counterDelta(known.bytesIn, observed.bytesIn);
    const deltaOut = counterDelta(known.bytesOut, observed.bytesOut);
    continued.push({
      live: known,
      observed,
      deltaIn,
      deltaOut,
      reset: observed.bytesIn < known.bytesIn || observed.bytesOut < known.bytesOut,
      detailsChanged: !sameDetails(observed, known.details),
    });
  }

  const closed: LiveSession[] = [];
  if (matched.size < live.byKey.size) {
    for (const session of live.byKey.values()) {
      if (!matched.has(session)) {
        closed.push(session);
      }
    }
  }
  return { opened, continued, closed };
}

/** Delta between two readings of a cumulative counter that may have restarted from zero. */
export function counterDelta(previous: number, current: number): number {
  return current >= previous ? current - previous : current;
}

/** The descriptive columns of a session, as stored. */
export interface SessionDetails {
  user: string;
  commonName: string;
  realAddress: string;
  virtualIpv4: string | null;
  virtualIpv6: string | null;
  cipher: string | null;
}

type DetailSource = {
  user: string;
  commonName: string;
  realAddress: string;
  virtualIpv4?: string | null;
  virtualIpv6?: string | null;
  cipher?: string | null;
};

/** The details to remember for a live session: copies, so they do not pin the report they came from. */
export function sessionDetails(session: DetailSource): SessionDetails {
  return {
    user: detached(session.user),
    commonName: detached(session.commonName),
    realAddress: detached(session.realAddress),
    virtualIpv4: detachedOrNull(session.virtualIpv4),
    virtualIpv6: detachedOrNull(session.virtualIpv6),
    cipher: detachedOrNull(session.cipher),
  };
}

/** Field by field, without building anything: this runs for every session on every poll. */
export function sameDetails(session: DetailSource, details: SessionDetails): boolean {
  return (
    session.user === details.user &&
    session.commonName === details.commonName &&
    session.realAddress === details.realAddress &&
    (session.virtualIpv4 ?? null) === details.virtualIpv4 &&
    (session.virtualIpv6 ?? null) === details.virtualIpv6 &&
    (session.cipher ?? null) === details.cipher
  );
}
