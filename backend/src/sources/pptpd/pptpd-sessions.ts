import type { ObservedSession } from '../../model';
import { unwrapPppdCount } from '../../parsers/pppd-counters';
import type { PptpdSession } from '../../parsers/pptpd-records';

/** The user of a session no login line named (pppd without `debug`, or an unauthenticated link). */
export const UNKNOWN_USER = '(unknown)';

export interface ByteCounts {
  bytesIn: number;
  bytesOut: number;
}

/**
 * A pppd session as the tracker's session: identity is host + PID + start (never the user),
 * the real address is the calling number pptpd passed to pppd (the client's public address),
 * the virtual IPv4 the tunnel address pppd gave the client (`remote IP address`).
 */
export function observedPptpdSession(session: PptpdSession, bytes: ByteCounts): ObservedSession {
  const user = session.user ?? UNKNOWN_USER;
  return {
    key: session.key,
    user,
    commonName: user,
    realAddress: session.callingNumber ?? '',
    virtualIpv4: session.remoteIp,
    connectedSince: session.startedAt,
    bytesIn: bytes.bytesIn,
    bytesOut: bytes.bytesOut,
  };
}

/**
 * A closed session's true totals. pppd before 2.5.2 prints them modulo 2^32: the last interface
 * reading taken while it was open says how many wraps were lost. That reading also runs slightly
 * ahead of pppd's own count (the kernel counted the link's negotiation too), so the result never
 * goes below it: a lower final count would read as a counter reset and count the session twice.
 */
export function finalBytes(session: PptpdSession, lastReading: ByteCounts | null): ByteCounts {
  const floor = lastReading ?? { bytesIn: 0, bytesOut: 0 };
  const total = (printed: number | undefined, kernel: number) =>
    Math.max(printed === undefined ? 0 : unwrapPppdCount(printed, session.counterBits, kernel), kernel);
  return { bytesIn: total(session.bytesIn, floor.bytesIn), bytesOut: total(session.bytesOut, floor.bytesOut) };
}
