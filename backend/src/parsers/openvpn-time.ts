/**
 * OpenVPN prints human times in the server process's local zone: ctime style
 * (`Thu Mar  6 17:09:03 2017`) up to 2.4, `2017-03-06 17:09:03` from 2.5. Status v1 has nothing
 * else, so these texts are read as local time of this process, which must share the server's zone.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Unix seconds of an OpenVPN local-time text in either style; null when it is neither. */
export function parseLocalTime(text: string): number | null {
  return text.length === 19 && text.charCodeAt(4) === 45 ? parseIsoStyle(text) : parseCtimeStyle(text);
}

/** `YYYY-MM-DD HH:MM:SS` (OpenVPN 2.5+). */
function parseIsoStyle(text: string): number | null {
  if (
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  ) {
    return null;
  }
  return localSeconds(
    digits(text, 0, 4),
    digits(text, 5, 2),
    digits(text, 8, 2),
    digits(text, 11, 2),
    digits(text, 14, 2),
    digits(text, 17, 2)
  );
}

/** `Www Mmm dd HH:MM:SS YYYY` as ctime(3) prints it, fixed width, day padded with a space (OpenVPN up to 2.4). */
function parseCtimeStyle(text: string): number | null {
  if (text.length !== 24 || text.charCodeAt(3) !== 32 || text.charCodeAt(7) !== 32 || text.charCodeAt(10) !== 32) {
    return null;
  }
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 32) {
    return null;
  }
  const month = MONTHS.findIndex((name) => text.startsWith(name, 4)) + 1;
  const day = text.charCodeAt(8) === 32 ? digits(text, 9, 1) : digits(text, 8, 2);
  return localSeconds(digits(text, 20, 4), month, day, digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2));
}

/** The number in text[start, start+count), or -1 when a character there is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) {
      return -1;
    }
    value = value * 10 + digit;
  }
  return value;
}

function localSeconds(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number
): number | null {
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) {
    return null;
  }
  if (minute < 0 || minute > 59 || second < 0 || second > 60) {
    return null;
  }
  const date = new Date(year, month - 1, day, hour, minute, second);
  // Date rolls 31 April over into 1 May; OpenVPN never prints such a day, so it is not a time
  if (date.getDate() !== day) {
    return null;
  }
  return Math.floor(date.getTime() / 1000);
}
