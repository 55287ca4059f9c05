/** Timestamp fields shared by the ISO and RFC 5424 syslog layouts, read by character code for speed. */

const COLON = 58;
const DASH = 45;

/** Value of `count` ASCII digits at `at`, or -1. */
export function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      return -1;
    }
    value = value * 10 + d;
  }
  return value;
}

/** `2026-11-21T15:36:48[.frac](Z|±HH:MM|±HHMM)` at `at`; returns [unix seconds, index after it] or null. */
export function parseIsoTimestamp(text: string, at: number): [number, number] | null {
  const year = digits(text, at, 4);
  const month = digits(text, at + 5, 2);
  const day = digits(text, at + 8, 2);
  const hour = digits(text, at + 11, 2);
  const minute = digits(text, at + 14, 2);
  const second = digits(text, at + 17, 2);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60 ||
    text.charCodeAt(at + 4) !== DASH ||
    text.charCodeAt(at + 7) !== DASH ||
    (text.charCodeAt(at + 10) | 32) !== 116 /* t */ ||
    text.charCodeAt(at + 13) !== COLON ||
    text.charCodeAt(at + 16) !== COLON
  ) {
    return null;
  }
  let i = at + 19;
  if (text.charCodeAt(i) === 46 /* . */) {
    i++;
    while (digits(text, i, 1) >= 0) {
      i++;
    }
  }
  let offsetMinutes: number;
  const sign = text.charCodeAt(i);
  if ((sign | 32) === 122 /* z */) {
    offsetMinutes = 0;
    i++;
  } else if (sign === 43 /* + */ || sign === DASH) {
    const offsetHours = digits(text, i + 1, 2);
    const withColon = text.charCodeAt(i + 3) === COLON;
    const offsetMins = digits(text, withColon ? i + 4 : i + 3, 2);
    if (offsetHours < 0 || offsetMins < 0) {
      return null;
    }
    offsetMinutes = (sign === DASH ? -1 : 1) * (offsetHours * 60 + offsetMins);
    i += withColon ? 6 : 5;
  } else {
    return null;
  }
  const utcSeconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  return [utcSeconds - offsetMinutes * 60, i];
}
