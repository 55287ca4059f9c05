/**
 * Splits one syslog line into timestamp, host, program, PID and message. Three layouts occur in
 * the files operators have:
 * - classic BSD (`Nov 21 15:36:48 host prog[pid]: msg`, also `journalctl -o short`): no year and
 *   local time, so a SyslogYearInferrer (syslog-year.ts) supplies both;
 * - ISO 8601 with offset (rsyslog `RSYSLOG_FileFormat`, `journalctl -o short-iso[-precise]`);
 * - RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`).
 * Lines from other programs or in other shapes are not ours: they give null. A line that starts
 * like a header but stops before its message is torn (cut by a crash or a rotation) and says so.
 * The hot path works on character codes: a backfill pushes every pppd line of a year through it.
 */
import { parseRfc5424 } from './syslog-rfc5424';
import { digits, parseIsoTimestamp } from './syslog-timestamp';
import type { SyslogYearInferrer } from './syslog-year';

export interface SyslogEntry {
  /** Unix seconds (UTC), fractions dropped. */
  timestamp: number;
  /** Empty when the line names no host (RFC 5424 `-`). */
  host: string;
  program: string;
  /** null when the tag carries no numeric PID. */
  pid: number | null;
  message: string;
}

/** A line that began as a syslog header but broke off: why, in words an operator can check. */
export interface TornSyslogLine {
  torn: string;
}

export type SyslogLineResult = SyslogEntry | TornSyslogLine | null;

export function isTorn(result: SyslogLineResult): result is TornSyslogLine {
  return result !== null && 'torn' in result;
}

const SPACE = 32;
const COLON = 58;
const OPEN_BRACKET = 91;
const LESS_THAN = 60;
const DASH = 45;

/** Month abbreviations keyed by their three character codes packed into one number. */
const MONTH_BY_CODE = new Map<number, number>(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((name, index) => [
    monthCode(name, 0),
    index,
  ])
);

function monthCode(text: string, at: number): number {
  return (text.charCodeAt(at) << 16) | (text.charCodeAt(at + 1) << 8) | text.charCodeAt(at + 2);
}

/** Parses one line (without its newline; a trailing CR is ignored). */
export function parseSyslogLine(line: string, years: SyslogYearInferrer): SyslogLineResult {
  const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
  const first = text.charCodeAt(0);
  if (first === LESS_THAN) {
    return parseRfc5424(text);
  }
  if (first >= 48 && first <= 57) {
    return parseIsoHeader(text);
  }
  return parseClassicHeader(text, years);
}

function parseClassicHeader(text: string, years: SyslogYearInferrer): SyslogLineResult {
  const month = MONTH_BY_CODE.get(monthCode(text, 0));
  if (month === undefined || text.charCodeAt(3) !== SPACE) {
    return null;
  }
  if (text.length < 16) {
    return { torn: 'line ends inside its timestamp' };
  }
  const day = text.charCodeAt(4) === SPACE ? digits(text, 5, 1) : digits(text, 4, 2);
  const hour = digits(text, 7, 2);
  const minute = digits(text, 10, 2);
  const second = digits(text, 13, 2);
  if (
    day < 1 ||
    day > 31 ||
    text.charCodeAt(6) !== SPACE ||
    text.charCodeAt(9) !== COLON ||
    text.charCodeAt(12) !== COLON ||
    text.charCodeAt(15) !== SPACE ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60
  ) {
    return null;
  }
  const timestamp = years.resolve(month, day, hour, minute, second);
  return parseHostAndTag(text, 16, timestamp);
}

function parseIsoHeader(text: string): SyslogLineResult {
  if (text.charCodeAt(4) !== DASH) {
    return null;
  }
  const stamp = parseIsoTimestamp(text, 0);
  if (stamp === null) {
    return text.length < 25 ? { torn: 'line ends inside its timestamp' } : null;
  }
  const [timestamp, end] = stamp;
  if (text.charCodeAt(end) !== SPACE) {
    return end >= text.length ? { torn: 'line ends after its timestamp' } : null;
  }
  return parseHostAndTag(text, end + 1, timestamp);
}

/** `host prog[pid]: message` starting at `at`, as classic and ISO layouts share it. */
function parseHostAndTag(text: string, at: number, timestamp: number): SyslogLineResult {
  const hostEnd = text.indexOf(' ', at);
  if (hostEnd < 0) {
    return { torn: 'line ends after the host' };
  }
  const host = text.slice(at, hostEnd);
  const tagStart = hostEnd + 1;
  let i = tagStart;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === COLON || c === OPEN_BRACKET) {
      break;
    }
    if (c === SPACE) {
      return null; // `last message repeated 3 times`, `-- MARK --`: not a program's line
    }
    i++;
  }
  if (i >= length) {
    return { torn: 'line ends inside the program tag' };
  }
  if (i === tagStart) {
    return null;
  }
  const program = text.slice(tagStart, i);
  let pid: number | null = null;
  if (text.charCodeAt(i) === OPEN_BRACKET) {
    const close = text.indexOf(']', i + 1);
    if (close < 0) {
      return text.indexOf(' ', i) < 0 ? { torn: 'line ends inside the PID' } : null;
    }
    const digitCount = close - i - 1;
    const value = digitCount > 0 && digitCount <= 10 ? digits(text, i + 1, digitCount) : -1;
    pid = value >= 0 ? value : null;
    i = close + 1;
    if (i >= length) {
      return { torn: 'line ends after the PID' };
    }
    if (text.charCodeAt(i) !== COLON) {
      return null;
    }
  }
  // i is at the colon; the message follows one space
  const messageStart = text.charCodeAt(i + 1) === SPACE ? i + 2 : i + 1;
  return { timestamp, host, program, pid, message: text.slice(messageStart) };
}
