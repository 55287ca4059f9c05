/**
 * Who uses the fleet of the year-long history: four servers in three time zones, users with a
 * working pattern (office, mobile, always-on, occasional), their devices and the VPN apps on
 * them, whose versions move on as releases come out. Pure and seeded: the same seed gives the
 * same people.
 */
import { FIRST_NAMES, LAST_NAMES } from '../generate-status';
import type { Random } from './random';

export interface FleetServer {
  name: string;
  /** Local time of the people who use it (no daylight saving: the rhythm is what matters). */
  utcOffsetHours: number;
  poolSize: number;
  /** Share of the users whose home server it is. */
  share: number;
}

export const SERVERS: readonly FleetServer[] = [
  { name: 'vpn-ams', utcOffsetHours: 1, poolSize: 1021, share: 0.35 },
  { name: 'vpn-fra', utcOffsetHours: 1, poolSize: 765, share: 0.25 },
  { name: 'vpn-nyc', utcOffsetHours: -5, poolSize: 765, share: 0.25 },
  { name: 'vpn-sgp', utcOffsetHours: 8, poolSize: 509, share: 0.15 },
];

/** How someone uses the VPN, which decides when and how long their sessions are (see day-plan.ts). */
export type Profile = 'office' | 'mobile' | 'always-on' | 'occasional';

const PROFILES: ReadonlyArray<[Profile, number]> = [
  ['office', 0.65],
  ['mobile', 0.12],
  ['always-on', 0.08],
  ['occasional', 0.15],
];

/** A VPN client app as its peer info names it, with the releases a device installs over the year. */
export interface ClientApp {
  /** IV_GUI_VER without the version; null for clients that send none (NetworkManager, plain openvpn). */
  gui: string | null;
  separator: '_' | ' ';
  platform: string;
  platformVersion: string;
  /** IV_VER: the OpenVPN core inside. */
  coreVersion: string;
  /** Versions and the day of the year (0 = the first day of the history) each came out; the first is older. */
  releases: ReadonlyArray<[string, number]>;
}

const app = (
  gui: string | null,
  platform: string,
  platformVersion: string,
  coreVersion: string,
  releases: ReadonlyArray<[string, number]>,
  separator: '_' | ' ' = '_'
): ClientApp => ({ gui, separator, platform, platformVersion, coreVersion, releases });

const LAPTOP_APPS: ReadonlyArray<[ClientApp, number]> = [
  [app('OCWindows', 'win', '10.0.22631', '3.10', [['3.4.4-3412', -90], ['3.5.0-3818', 75], ['3.5.1-3946', 230]]), 35],
  [app('OpenVPN_GUI', 'win', '10.0.19045', '2.6.14', [['11.46.0.0', -60], ['11.51.0.0', 160]]), 15],
  [app('org.eduvpn.app.windows', 'win', '10.0.22631', '2.6.14', [['4.1.0', -30], ['4.2.1', 120]]), 10],
  [app('net.tunnelblick.tunnelblick', 'mac', '14.6', '2.6.12', [['4.0.1', -120], ['4.0.2', 200]]), 12],
  [app('OCmacOS', 'mac', '15.1', '3.10', [['3.4.9-4830', -45], ['3.5.0-5102', 140]]), 13],
  [app(null, 'linux', '6.1.0', '2.6.14', [['', -365]]), 10],
  [app('openvpn3-linux', 'linux', '6.8.0', '3.10', [['22', -200], ['24', 180]]), 5],
]; // prettier-ignore

const PHONE_APPS: ReadonlyArray<[ClientApp, number]> = [
  [app('net.openvpn.connect.ios', 'ios', '18.1', '3.10', [['3.4.1-5281', -100], ['3.5.0-5530', 90]]), 50],
  [app('net.openvpn.openvpn', 'android', '14', '3.10', [['3.4.2-8642', -80], ['3.5.1-9012', 150]]), 35],
  [app('de.blinkt.openvpn', 'android', '13', '2.6.12', [['0.7.50', -150], ['0.7.55', 210]], ' '), 15],
]; // prettier-ignore

const GATEWAY_APP = app(null, 'linux', '6.1.0', '2.6.14', [['', -365]]);

export interface Device {
  /** Appended to the user name for the certificate's common name (`alice.smith-phone`). */
  commonName: string;
  kind: 'laptop' | 'phone' | 'gateway';
  app: ClientApp;
  /** How many days after a release this device installs it. */
  upgradeLagDays: number;
}

export interface FleetUser {
  name: string;
  profile: Profile;
  /** Index into SERVERS of the server the user normally connects to. */
  home: number;
  /** Where a road warrior connects on days away (another server); null for those who stay home. */
  away: number | null;
  /** Mean bytes per second the server sends this user while connected; received is `inShare` of it. */
  rateOut: number;
  inShare: number;
  /** Sends bulk traffic at night (backups over an always-on tunnel). */
  nightlyBackup: boolean;
  devices: Device[];
  /** Where the user connects from: home or office line, and the phone's carrier. */
  fixedAddress: string;
  mobileAddress: string;
  /** Days (0-based) on which an office worker is on leave. */
  leave: Set<number>;
}

function weighted<T>(random: Random, items: ReadonlyArray<[T, number]>): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let point = random.next() * total;
  for (const [item, weight] of items) {
    point -= weight;
    if (point < 0) {
      return item;
    }
  }
  return items[items.length - 1][0];
}

function device(random: Random, kind: Device['kind'], user: string): Device {
  const appOf = { laptop: () => weighted(random, LAPTOP_APPS), phone: () => weighted(random, PHONE_APPS) };
  return {
    commonName: random.next() < 0.3 && kind === 'laptop' ? user : `${user}-${kind}`,
    kind,
    app: kind === 'gateway' ? GATEWAY_APP : appOf[kind](),
    upgradeLagDays: Math.floor(random.next() * 90),
  };
}

/** Blocks of leave spread over the year: two weeks in summer-ish, and two single weeks. */
function leaveDays(random: Random, days: number): Set<number> {
  const leave = new Set<number>();
  for (const length of [14, 7, 7]) {
    const first = Math.floor(random.next() * Math.max(1, days - length));
    for (let day = first; day < first + length; day++) {
      leave.add(day);
    }
  }
  return leave;
}

const address = (random: Random, thirdOctetFrom: number, span: number): string =>
  `198.18.${thirdOctetFrom + Math.floor(random.next() * span)}.${1 + Math.floor(random.next() * 254)}`;

export function createPopulation(random: Random, count: number, days: number): FleetUser[] {
  const taken = new Map<string, number>();
  const users: FleetUser[] = [];
  for (let i = 0; i < count; i++) {
    const person = `${random.pick(FIRST_NAMES)}.${random.pick(LAST_NAMES)}`;
    const seen = (taken.get(person) ?? 0) + 1;
    taken.set(person, seen);
    const name = seen === 1 ? person : `${person}${seen}`;
    const profile = weighted(random, PROFILES);
    const home = weighted(
      random,
      SERVERS.map((server, index): [number, number] => [index, server.share])
    );
    const devices =
      profile === 'always-on'
        ? [device(random, 'gateway', name)]
        : profile === 'mobile'
          ? [device(random, 'phone', name), device(random, 'laptop', name)]
          : [device(random, 'laptop', name), ...(random.next() < 0.4 ? [device(random, 'phone', name)] : [])];
    const away =
      random.next() < 0.15 ? (home + 1 + Math.floor(random.next() * (SERVERS.length - 1))) % SERVERS.length : null;
    users.push({
      name,
      profile,
      home,
      away,
      // log-normal: most users browse an intranet, a few move gigabytes a day
      rateOut: Math.min(3_000_000, Math.exp(Math.log(6_000) + 1.4 * random.normal())),
      inShare: 0.15 + random.next() * 0.35,
      nightlyBackup: profile === 'always-on' && random.next() < 0.4,
      devices,
      fixedAddress: address(random, 0, 200),
      mobileAddress: address(random, 200, 56),
      leave: profile === 'office' ? leaveDays(random, Math.max(days, 365)) : new Set(),
    });
  }
  return users;
}

/** The peer info a device sends on `day` of the history: its app at the release it has installed by then. */
export function peerInfo(device: Device, day: number): Record<string, string> {
  const { app: client } = device;
  let version = client.releases[0][0];
  for (const [release, out] of client.releases) {
    if (out + device.upgradeLagDays <= day) {
      version = release;
    }
  }
  return {
    ...(client.gui === null ? {} : { IV_GUI_VER: `${client.gui}${client.separator}${version}` }),
    IV_PLAT: client.platform,
    IV_PLAT_VER: client.platformVersion,
    IV_VER: client.coreVersion,
  };
}
