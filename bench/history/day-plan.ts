/**
 * When each user is connected on one day of their local time: office hours with a lunch break
 * and the odd reconnect, commutes on the phone, evenings, quiet weekends and leave, mobile users'
 * many short sessions, and gateways that stay up for days. Pure and seeded.
 */
import { SERVERS, type Device, type FleetUser } from './population';
import type { Random } from './random';

const HOUR = 3600;
const DAY = 86_400;

export interface PlannedSession {
  user: FleetUser;
  device: Device;
  /** Index into SERVERS. */
  server: number;
  /** Unix seconds; the session is connected in [start, end). */
  start: number;
  end: number;
  realIp: string;
}

/** Always-on devices reconnect from where their last session ended: the next start per user. */
export type GatewayChains = Map<FleetUser, number>;

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

export function planDay(
  random: Random,
  user: FleetUser,
  day: number,
  dayStartUtc: number,
  chains: GatewayChains
): PlannedSession[] {
  // Road warriors spend some days on another server; their rhythm stays their own.
  const server = user.away !== null && random.next() < 0.05 ? user.away : user.home;
  const localMidnight = dayStartUtc - SERVERS[user.home].utcOffsetHours * HOUR;
  const weekday = new Date(dayStartUtc * 1000).getUTCDay();
  const workday = weekday >= 1 && weekday <= 5 && !user.leave.has(day);
  const sessions: PlannedSession[] = [];
  const add = (device: Device, fromHour: number, toHour: number) => {
    const start = Math.round(localMidnight + fromHour * HOUR);
    const end = Math.round(localMidnight + toHour * HOUR);
    if (end > start) {
      const realIp = device.kind === 'phone' ? user.mobileAddress : user.fixedAddress;
      sessions.push({ user, device, server, start, end, realIp });
    }
  };
  const [first, second] = user.devices;
  const phone = user.devices.find((d) => d.kind === 'phone');
  switch (user.profile) {
    case 'office':
      if (workday && random.next() < 0.9) {
        planWorkday(random, (from, to) => add(first, from, to));
      } else if (random.next() < 0.1) {
        const from = random.between(10, 21);
        add(first, from, from + random.between(0.25, 3));
      }
      if (phone && random.next() < (workday ? 0.3 : 0.1)) {
        const from = random.next() < 0.5 ? random.between(7, 9) : random.between(17, 19);
        add(phone, from, from + random.between(5, 40) / 60);
      }
      break;
    case 'mobile':
      for (let n = random.poisson(workday ? 5 : 3); n > 0; n--) {
        const from = random.between(7, 23);
        add(random.next() < 0.8 ? first : second, from, from + clamp(random.exponential(0.25), 2 / 60, 2));
      }
      break;
    case 'occasional':
      if (random.next() < 0.28) {
        const from = random.between(8, 22);
        add(first, from, from + random.between(10, 120) / 60);
      }
      break;
    case 'always-on':
      planGateway(random, user, localMidnight, chains, (from, to) => add(first, from, to));
      break;
  }
  return sessions;
}

/** A working day in local hours: connect in the morning, maybe drop for lunch or a network change. */
function planWorkday(random: Random, add: (fromHour: number, toHour: number) => void): void {
  const start = clamp(7.5 + 0.9 * random.normal(), 5.5, 11);
  const end = clamp(start + 8.6 + 0.8 * random.normal(), start + 3, 22);
  const gaps: Array<[number, number]> = [];
  if (random.next() < 0.45) {
    const lunch = clamp(12.2 + 0.5 * random.normal(), start + 1, end - 1);
    gaps.push([lunch, lunch + random.between(15, 60) / 60]);
  }
  if (random.next() < 0.3) {
    const drop = random.between(start + 0.5, end - 0.5);
    gaps.push([drop, drop + random.between(0.5, 8) / 60]);
  }
  gaps.sort((a, b) => a[0] - b[0]);
  let from = start;
  for (const [gapFrom, gapTo] of gaps) {
    if (gapFrom > from) {
      add(from, gapFrom);
    }
    from = Math.max(from, gapTo);
  }
  add(from, end);
  if (random.next() < 0.15) {
    const evening = random.between(19, 22);
    add(evening, evening + random.between(20, 120) / 60);
  }
}

/** Sessions of days (a site gateway, an admin's workstation), each restarting shortly after the last. */
function planGateway(
  random: Random,
  user: FleetUser,
  localMidnight: number,
  chains: GatewayChains,
  add: (fromHour: number, toHour: number) => void
): void {
  let next = chains.get(user) ?? localMidnight + random.between(0, DAY);
  while (next < localMidnight + DAY) {
    const length = clamp(random.exponential(2.5 * DAY), HOUR, 14 * DAY);
    add((next - localMidnight) / HOUR, (next + length - localMidnight) / HOUR);
    next += length + random.between(20, 600);
  }
  chains.set(user, next);
}
