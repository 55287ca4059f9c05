/**
 * What else happens on a day besides sessions: mistyped passwords, password-guessing bursts and
 * TLS scanners (the security dashboard's rows), monthly patch-day restarts (every client drops
 * and reconnects) and the odd outage of vpnscope's source. Pure and seeded.
 */
import type { VpnEvent } from '../../backend/src/store/events';
import type { PlannedSession } from './day-plan';
import { SERVERS, type FleetUser } from './population';
import type { Random } from './random';

const HOUR = 3600;
const DAY = 86_400;

export type Incident =
  | { kind: 'event'; ts: number; server: number; event: VpnEvent }
  /** The server re-initialised: its clients drop and reconnect with new client ids. */
  | { kind: 'restart'; ts: number; server: number }
  /** vpnscope cannot read the server's source from `ts` to `until`: no polls. */
  | { kind: 'outage'; ts: number; server: number; until: number };

const WRONG_PASSWORD = 'TLS Auth Error: Auth Username/Password verification failed for peer';
const HANDSHAKE_FAILED = 'TLS Error: TLS handshake failed';
const GUESSED_NAMES = ['admin', 'root', 'test', 'user', 'vpn', 'guest', 'support', 'info', 'backup', 'oracle'];

const port = (random: Random): number => 1024 + Math.floor(random.next() * 64_512);
const scannerIp = (random: Random): string =>
  `198.19.${200 + Math.floor(random.next() * 56)}.${1 + Math.floor(random.next() * 254)}`;

export function planIncidents(
  random: Random,
  dayStartUtc: number,
  sessions: readonly PlannedSession[],
  users: readonly FleetUser[]
): Incident[] {
  const incidents: Incident[] = [];
  const event = (server: number, ts: number, e: Omit<VpnEvent, 'ts'>) =>
    incidents.push({ kind: 'event', ts, server, event: { ts, ...e } });

  for (const session of sessions) {
    if (random.next() < 0.025) {
      const ts = session.start - Math.round(random.between(10, 90));
      const realAddress = `${session.realIp}:${port(random)}`;
      event(session.server, ts, { kind: 'auth_failure', user: session.user.name, realAddress, detail: WRONG_PASSWORD });
    }
  }

  SERVERS.forEach((server, index) => {
    const localMidnight = dayStartUtc - server.utcOffsetHours * HOUR;
    if (random.next() < 1 / 30) {
      // someone tries a list of names from one address, a new connection (port) per attempt
      const ip = scannerIp(random);
      let ts = dayStartUtc + Math.floor(random.next() * DAY);
      for (let n = Math.floor(random.between(100, 1500)); n > 0; n--) {
        const user = random.next() < 0.1 ? random.pick(users).name : random.pick(GUESSED_NAMES);
        event(index, ts, { kind: 'auth_failure', user, realAddress: `${ip}:${port(random)}`, detail: WRONG_PASSWORD });
        ts += Math.ceil(random.between(1, 4));
      }
    }
    for (let n = random.poisson(5); n > 0; n--) {
      const ts = dayStartUtc + Math.floor(random.next() * DAY);
      event(index, ts, {
        kind: 'tls_error',
        realAddress: `${scannerIp(random)}:${port(random)}`,
        detail: HANDSHAKE_FAILED,
      });
    }
    const date = new Date(dayStartUtc * 1000);
    const patchTuesday = date.getUTCDay() === 2 && date.getUTCDate() >= 8 && date.getUTCDate() <= 14;
    if (patchTuesday) {
      incidents.push({
        kind: 'restart',
        ts: Math.round(localMidnight + 2 * HOUR + random.between(0, 1800)),
        server: index,
      });
    }
    if (random.next() < 4 / 365) {
      const ts = dayStartUtc + Math.floor(random.next() * DAY);
      incidents.push({ kind: 'outage', ts, server: index, until: ts + Math.round(random.between(60, 1800)) });
    }
  });
  return incidents;
}
