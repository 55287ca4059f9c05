/** Year and zone for classic syslog timestamps, which carry neither. */

export type SyslogTimeZone = 'local' | 'utc';

/** Where a year-less log starts: a known year, or a moment the log cannot be later than (its file's mtime). */
export type YearAnchor = { year: number } | { notAfter: number };

const HALF_YEAR_IN_MONTHS = 6;
/** A first line may look up to a day later than its file's mtime when the zone setting is off by hours. */
const NOT_AFTER_SLACK_SECONDS = 86_400;

/**
 * Gives classic timestamps their year. Stateful but pure: it remembers the last month it saw and
 * moves to the next year when the months fall back by more than half a year (Dec → Jan). A line
 * whose month is more than half a year ahead is a straggler from the year before (a late Dec 31
 * line after Jan 1) and does not move the state. One inferrer per file sequence; no clock.
 */
export class SyslogYearInferrer {
  private year: number | null;
  private lastMonth = -1;
  private cachedMinuteKey = -1;
  private cachedMinuteStart = 0;

  constructor(
    private readonly anchor: YearAnchor,
    private readonly timeZone: SyslogTimeZone = 'local'
  ) {
    this.year = 'year' in anchor ? anchor.year : null;
  }

  /** Unix seconds of a classic timestamp; month is 0-based. */
  resolve(month: number, day: number, hour: number, minute: number, second: number): number {
    if (this.year === null || this.lastMonth < 0) {
      this.year ??= this.firstYear(month, day, hour, minute, second);
      this.lastMonth = month;
    } else if (month < this.lastMonth - HALF_YEAR_IN_MONTHS) {
      this.year++;
      this.lastMonth = month;
    } else if (month > this.lastMonth + HALF_YEAR_IN_MONTHS) {
      return this.toUnix(this.year - 1, month, day, hour, minute, second);
    } else if (month > this.lastMonth) {
      this.lastMonth = month;
    }
    return this.toUnix(this.year, month, day, hour, minute, second);
  }

  private firstYear(month: number, day: number, hour: number, minute: number, second: number): number {
    const notAfter = (this.anchor as { notAfter: number }).notAfter;
    const reference = new Date(notAfter * 1000);
    const year = this.timeZone === 'utc' ? reference.getUTCFullYear() : reference.getFullYear();
    const sameYear = this.toUnix(year, month, day, hour, minute, second);
    return sameYear > notAfter + NOT_AFTER_SLACK_SECONDS ? year - 1 : year;
  }

  private toUnix(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
    // Lines come in runs within one minute; converting local time through Date is the slow part.
    const minuteKey = ((((year * 12 + month) * 32 + day) * 24 + hour) * 60 + minute) | 0;
    if (minuteKey !== this.cachedMinuteKey) {
      const ms =
        this.timeZone === 'utc'
          ? Date.UTC(year, month, day, hour, minute, 0)
          : new Date(year, month, day, hour, minute, 0).getTime();
      this.cachedMinuteKey = minuteKey;
      this.cachedMinuteStart = Math.floor(ms / 1000);
    }
    return this.cachedMinuteStart + second;
  }
}
