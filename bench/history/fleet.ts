/**
 * The four servers as vpnscope polls them: who is connected to each at a poll, with their
 * cumulative byte counters, client ids and pool addresses as OpenVPN would report them.
 */
import type { ObservedSession } from '../../backend/src/model';
import type { PlannedSession } from './day-plan';
import { MinHeap } from './min-heap';
import type { FleetServer } from './population';
import type { Random } from './random';

const HOUR = 3600;

/** How busy a connected user is by local hour: the working day, a lunch dip, quiet nights. */
const DAY_SHAPE = [
  0.2, 0.15, 0.15, 0.15, 0.15, 0.2, 0.3, 0.6, 0.9, 1.2, 1.3, 1.2, 0.8, 1.1, 1.3, 1.3, 1.2, 1.0, 0.8, 0.7, 0.7, 0.6, 0.4, 0.3,
]; // prettier-ignore
/** Bulk transfers of backup gateways, between 01:00 and 05:00 local. */
const BACKUP_BOOST = 40;
/** OpenVPN's keepalive pings alone move about this many bytes a second each way. */
const KEEPALIVE_BYTES_PER_SECOND = 12;

export interface ConnectedSession {
  plan: PlannedSession;
  observed: ObservedSession;
  address: number;
  /** Counters hold the traffic up to this second. */
  countedUntil: number;
  /** Its app and platform are told to the tracker once a poll has shown the session. */
  infoSent: boolean;
}

export class FleetServerState {
  connected: ConnectedSession[] = [];
  /** Client ids start again from 0 when the server restarts. */
  nextClientId = 0;
  /** vpnscope cannot read this server's source until then. */
  downUntil: number | null = null;
  private readonly freeAddresses = new MinHeap<number>((index) => index);

  constructor(
    readonly index: number,
    readonly server: FleetServer
  ) {
    for (let i = 0; i < server.poolSize; i++) {
      this.freeAddresses.push(i);
    }
  }

  /** A client connects; false when the pool has no address left (OpenVPN refuses it). */
  connect(random: Random, plan: PlannedSession): boolean {
    const [address] = this.freeAddresses.popUpTo(Number.POSITIVE_INFINITY, 1);
    if (address === undefined) {
      return false;
    }
    const clientId = this.nextClientId++;
    const host = address + 2;
    this.connected.push({
      plan,
      address,
      countedUntil: plan.start,
      infoSent: false,
      observed: {
        key: `cid:${clientId}:${plan.start}`,
        user: plan.user.name,
        commonName: plan.device.commonName,
        realAddress: `${plan.realIp}:${1024 + Math.floor(random.next() * 64_512)}`,
        virtualIpv4: `198.19.${this.index * 4 + (host >> 8)}.${host & 255}`,
        virtualIpv6: `2001:db8:${this.index}::${(0x1000 + address).toString(16)}`,
        clientId,
        connectedSince: plan.start,
        bytesIn: 0,
        bytesOut: 0,
        cipher: random.next() < 0.95 ? 'AES-256-GCM' : 'CHACHA20-POLY1305',
      },
    });
    return true;
  }

  /**
   * What a status report at `ts` lists: sessions that ended are gone (their addresses free again),
   * the others' counters have grown by their traffic since the last look.
   */
  report(random: Random, ts: number): ObservedSession[] {
    const localHour = Math.floor((ts / HOUR + this.server.utcOffsetHours + 48) % 24);
    const shape = DAY_SHAPE[localHour];
    const backupHour = localHour >= 1 && localHour < 5;
    const listed: ObservedSession[] = [];
    const still: ConnectedSession[] = [];
    for (const session of this.connected) {
      if (session.plan.end <= ts) {
        this.freeAddresses.push(session.address);
        continue;
      }
      const { user } = session.plan;
      const seconds = ts - session.countedUntil;
      const busy = user.nightlyBackup && backupHour ? BACKUP_BOOST : shape;
      const sent = user.rateOut * busy * seconds * (0.3 + 1.4 * random.next());
      session.observed.bytesOut += Math.round(sent + KEEPALIVE_BYTES_PER_SECOND * seconds);
      session.observed.bytesIn += Math.round(
        sent * user.inShare * (0.5 + random.next()) + KEEPALIVE_BYTES_PER_SECOND * seconds
      );
      session.countedUntil = ts;
      listed.push(session.observed);
      still.push(session);
    }
    this.connected = still;
    return listed;
  }

  /** The server re-initialises at `ts`: every client drops; the caller reconnects them. */
  restart(ts: number): PlannedSession[] {
    this.nextClientId = 0;
    const cut: PlannedSession[] = [];
    for (const session of this.connected) {
      if (session.plan.start < ts && session.plan.end > ts) {
        cut.push({ ...session.plan });
        session.plan.end = ts;
      }
    }
    return cut;
  }
}
