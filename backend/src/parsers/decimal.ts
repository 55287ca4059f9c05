/**
 * A non-negative decimal integer as OpenVPN prints counters, ids, ports and time_t; null for
 * anything else. Stricter than Number(): '', ' 7', '0x10' and '1e3' are not numbers here, and a
 * counter past 2^53 is refused rather than silently rounded.
 */
export function parseDecimal(text: string): number | null {
  return parseDecimalIn(text, 0, text.length);
}

/** The same for text[start, end), read in place so a hot loop slices no string for it. */
export function parseDecimalIn(text: string, start: number, end: number): number | null {
  if (end <= start || end - start > 16) {
    return null;
  }
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) {
      return null;
    }
    value = value * 10 + digit;
  }
  return Number.isSafeInteger(value) ? value : null;
}
