/**
 * pppd before 2.5.2 prints `Sent N bytes, received M bytes.` modulo 2^32 (32-bit stats, or
 * 64-bit ones printed with %u). What can be known about the lost wraps:
 * - From the log alone, nothing exact. Connect time bounds the traffic only through a rate the
 *   link cannot exceed, so it can prove that no wrap happened, never how many did.
 * - The interface's own counter (`/sys/class/net/pppN/statistics/{tx,rx}_bytes`, 64-bit) is the
 *   very counter pppd reads, so any reading taken while the session was open is a lower bound:
 *   the true count is the smallest value with the printed remainder that is not below it. That
 *   is exact as long as less than 4 GiB flowed between that reading and the end of the session.
 * `Sent` is the interface's tx (server → client, `bytesOut`); `received` its rx (`bytesIn`).
 */

export const PPPD_COUNTER_MODULUS = 2 ** 32;

/** pppd subtracts the counters it saw at link-up; the interface had carried a few NCP frames by then. */
const LINK_UP_BASELINE_SLACK_BYTES = 1 << 20;

/** pppd's connect time is rounded to tenths of a minute. */
const CONNECT_TIME_RESOLUTION_SECONDS = 6;

/** 32 for pppd versions that print byte counts modulo 2^32 (before 2.5.2), else 64. */
export function counterBitsOf(pppdVersion: string): 32 | 64 {
  const [major, minor, patch] = pppdVersion.split(/[.\-+~]/).map((part) => Number.parseInt(part, 10));
  if (!Number.isFinite(major) || !Number.isFinite(minor)) {
    return 64;
  }
  const version = major * 10_000 + minor * 100 + (Number.isFinite(patch) ? patch : 0);
  return version < 20_502 ? 32 : 64;
}

/** The true count behind `printed`, given an interface counter reading taken while the session was open. */
export function unwrapPppdCount(printed: number, counterBits: 32 | 64, kernelAtLeast: number): number {
  if (counterBits === 64) {
    return printed;
  }
  const wraps = Math.ceil((kernelAtLeast - LINK_UP_BASELINE_SLACK_BYTES - printed) / PPPD_COUNTER_MODULUS);
  return printed + Math.max(0, wraps) * PPPD_COUNTER_MODULUS;
}

/** Whether `printed` may hide wraps, for a link that never carries more than `maxBytesPerSecond` one way. */
export function mayHaveWrapped(
  printed: number,
  counterBits: 32 | 64,
  connectSeconds: number | undefined,
  maxBytesPerSecond: number
): boolean {
  if (counterBits === 64) {
    return false;
  }
  if (connectSeconds === undefined) {
    return true;
  }
  return (connectSeconds + CONNECT_TIME_RESOLUTION_SECONDS) * maxBytesPerSecond >= printed + PPPD_COUNTER_MODULUS;
}
