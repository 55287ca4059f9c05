import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/**
 * Each lab owns one slot X in 0..255, which gives it 198.18.X.0/24 underlay, 198.19.X.0/24 tunnel
 * pool, 2001:db8:X::/64 and its netns/veth names. Slots are claimed with lock files holding the
 * owner's pid (the lab's cleanup watchdog, which deletes the lock when it has cleaned up), so labs
 * in parallel jest workers never collide, and a slot whose owner died without cleaning up is taken
 * over; the new owner then clears the leftovers.
 */
export const SLOT_COUNT = 256;

// /run is a tmpfs like /run/netns: locks and namespaces vanish together on reboot
const SLOT_DIRECTORY = '/run/vpnscope-e2e';
// a lock file without a pid is being written right now, unless it is this old (its writer crashed)
const UNWRITTEN_LOCK_GRACE_MS = 10_000;

export interface AddressSlot {
  readonly index: number;
  readonly lockPath: string;
  /** True when a crashed earlier owner may have left namespaces and processes behind. */
  readonly tookOverStaleSlot: boolean;
  /** Makes `pid` the owner: the slot stays taken exactly as long as that process lives. */
  handOverTo(pid: number): void;
}

/** Prefers a crashed run's slot (so its leftovers get cleared soon), else a free one near pid % 256. */
export function claimAddressSlot(): AddressSlot {
  mkdirSync(SLOT_DIRECTORY, { recursive: true });
  for (const index of lockedSlots()) {
    const claim = takeOverStale(index);
    if (claim) {
      return claim;
    }
  }
  const first = process.pid % SLOT_COUNT;
  for (let step = 0; step < SLOT_COUNT; step++) {
    const claim = claimFresh((first + step) % SLOT_COUNT);
    if (claim) {
      return claim;
    }
  }
  throw new Error(`All ${SLOT_COUNT} e2e lab slots in ${SLOT_DIRECTORY} are held by live processes`);
}

function lockedSlots(): number[] {
  return readdirSync(SLOT_DIRECTORY)
    .map((name) => /^slot-(\d+)\.lock$/.exec(name)?.[1])
    .filter((index): index is string => index !== undefined)
    .map(Number)
    .filter((index) => index < SLOT_COUNT);
}

function claimFresh(index: number): AddressSlot | undefined {
  const lock = lockPath(index);
  let descriptor: number;
  try {
    descriptor = openSync(lock, 'wx');
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) {
      return undefined;
    }
    throw error;
  }
  writeFileSync(descriptor, String(process.pid));
  closeSync(descriptor);
  return slot(index, false);
}

/** The takeover itself is serialised by a second exclusive file, so two workers never both win. */
function takeOverStale(index: number): AddressSlot | undefined {
  if (!isStale(lockPath(index))) {
    return undefined;
  }
  const guard = `${lockPath(index)}.takeover`;
  try {
    closeSync(openSync(guard, 'wx'));
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) {
      return undefined;
    }
    throw error;
  }
  try {
    if (!isStale(lockPath(index))) {
      return undefined;
    }
    writeFileSync(lockPath(index), String(process.pid));
    return slot(index, true);
  } finally {
    unlinkSync(guard);
  }
}

function slot(index: number, tookOverStaleSlot: boolean): AddressSlot {
  return {
    index,
    lockPath: lockPath(index),
    tookOverStaleSlot,
    handOverTo: (pid) => writeFileSync(lockPath(index), String(pid)),
  };
}

function isStale(lock: string): boolean {
  let owner: number | undefined;
  let ageMs: number;
  try {
    owner = lockOwner(lock);
    ageMs = Date.now() - statSync(lock).mtimeMs;
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) {
      return false; // released meanwhile: the next claimFresh pass may get it
    }
    throw error;
  }
  if (owner === undefined) {
    return ageMs > UNWRITTEN_LOCK_GRACE_MS;
  }
  return !isAlive(owner);
}

function lockOwner(lock: string): number | undefined {
  const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrorCode(error, 'EPERM');
  }
}

function lockPath(index: number): string {
  return path.join(SLOT_DIRECTORY, `slot-${index}.lock`);
}

// not `instanceof Error`: jest runs tests in another realm, where Node's own errors fail that check
function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
