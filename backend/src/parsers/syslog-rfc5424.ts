import type { SyslogLineResult } from './syslog-line';
import { digits, parseIsoTimestamp } from './syslog-timestamp';

const SPACE = 32;
const DASH = 45;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** RFC 5424: `<PRI>VERSION SP TIMESTAMP SP HOST SP APP SP PROCID SP MSGID SP SD [SP MSG]`. */
export function parseRfc5424(text: string): SyslogLineResult {
  const priEnd = text.indexOf('>');
  if (priEnd < 2 || priEnd > 4 || digits(text, 1, priEnd - 1) < 0) {
    return null;
  }
  const versionEnd = text.indexOf(' ', priEnd);
  if (versionEnd < 0 || versionEnd === priEnd + 1 || digits(text, priEnd + 1, versionEnd - priEnd - 1) < 0) {
    return versionEnd < 0 ? { torn: 'RFC 5424 line ends after its priority' } : null;
  }
  if (text.charCodeAt(versionEnd + 1) === DASH) {
    return { torn: 'RFC 5424 line without a timestamp' };
  }
  const stamp = parseIsoTimestamp(text, versionEnd + 1);
  if (stamp === null) {
    return { torn: 'RFC 5424 line with a broken timestamp' };
  }
  const [timestamp, stampEnd] = stamp;
  const fields: string[] = [];
  let i = stampEnd;
  for (let n = 0; n < 4; n++) {
    if (text.charCodeAt(i) !== SPACE) {
      return { torn: 'RFC 5424 header ends early' };
    }
    const next = text.indexOf(' ', i + 1);
    const end = next < 0 ? text.length : next;
    fields.push(text.slice(i + 1, end));
    i = end;
  }
  const [host, program, procId] = fields;
  if (i >= text.length) {
    return { torn: 'RFC 5424 header ends before its structured data' };
  }
  const sdEnd = skipStructuredData(text, i + 1);
  if (sdEnd === NOT_STRUCTURED_DATA) {
    return null;
  }
  if (sdEnd < 0) {
    return { torn: 'RFC 5424 structured data is not closed' };
  }
  let message = sdEnd < text.length ? text.slice(sdEnd + 1) : '';
  if (message.charCodeAt(0) === 0xfeff) {
    message = message.slice(1);
  }
  const pidValue = procId.length <= 10 ? digits(procId, 0, procId.length) : -1;
  return {
    timestamp,
    host: host === '-' ? '' : host,
    program: program === '-' ? '' : program,
    pid: procId !== '-' && pidValue >= 0 && procId.length > 0 ? pidValue : null,
    message,
  };
}

const UNCLOSED_STRUCTURED_DATA = -1;
const NOT_STRUCTURED_DATA = -2;

/** Index just after the STRUCTURED-DATA field starting at `at` (`-` or `[...]...`), or a negative code. */
function skipStructuredData(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === DASH) {
    return at + 1;
  }
  if (first !== OPEN_BRACKET) {
    return NOT_STRUCTURED_DATA;
  }
  let i = at;
  while (text.charCodeAt(i) === OPEN_BRACKET) {
    let inQuotes = false;
    i++;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) {
        i++;
      } else if (c === 34 /* " */) {
        inQuotes = !inQuotes;
      } else if (c === CLOSE_BRACKET && !inQuotes) {
        break;
      }
    }
    if (i >= text.length) {
      return UNCLOSED_STRUCTURED_DATA;
    }
    i++;
  }
  return i;
}
