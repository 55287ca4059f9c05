import type { PptpdSession } from '../parsers/pptpd-records';
import { UNKNOWN_USER, type ByteCounts } from '../sources/pptpd/pptpd-sessions';

/** A session still connected, with its interface's counters when this machine could read them. */
export interface OnlineSession {
  session: PptpdSession;
  current: ByteCounts | null;
}

export interface PptpdUserRow {
  user: string;
  openSessions: number;
  sessions: number;
  /** Sent to the client (pppd's `Sent`) over the ended sessions. */
  tx: number;
  /** Received from the client over the ended sessions. */
  rx: number;
  /** The client's public address, of the current session or else the last one. */
  remoteIp: string | null;
  /** The tunnel address the client was given, likewise. */
  localIp: string | null;
  interface: string | null;
  /** The current sessions' counters, summed. */
  currentTx: number;
  currentRx: number;
  /** When the newest current session began; null when offline. */
  since: number | null;
  /** When the last session ended; null while online or when nothing ended. */
  lastSeen: number | null;
}

interface UserTally {
  row: PptpdUserRow;
  latest: PptpdSession;
}

/**
 * Per-user totals of ended sessions, added as the log is read: memory grows with the number of
 * users, not of sessions, so a year of rotated logs fits. Rows add the sessions online now.
 */
export class PptpdUserTotals {
  private readonly users = new Map<string, UserTally>();

  addEnded(session: PptpdSession): void {
    this.addEndedTo(this.users, session);
  }

  private addEndedTo(users: Map<string, UserTally>, session: PptpdSession): void {
    const tally = this.tallyOf(users, session);
    tally.row.tx += session.bytesOut ?? 0;
    tally.row.rx += session.bytesIn ?? 0;
    tally.row.lastSeen = Math.max(tally.row.lastSeen ?? 0, session.endedAt ?? session.lastSeenAt);
  }

  /**
   * One row per user, sorted by name (sessions with no known user last), like pptpd-monitor's.
   * `gone`: sessions known to have ended whose end is not in the log (yet): ended at their last line.
   */
  rows(online: readonly OnlineSession[], gone: readonly PptpdSession[] = []): PptpdUserRow[] {
    const users = new Map([...this.users].map(([user, tally]) => [user, { ...tally, row: { ...tally.row } }]));
    gone.forEach((session) => this.addEndedTo(users, session));
    const current = new Map<string, PptpdSession>();
    for (const { session, current: counters } of online) {
      const { row } = this.tallyOf(users, session);
      row.openSessions++;
      row.currentTx += counters?.bytesOut ?? 0;
      row.currentRx += counters?.bytesIn ?? 0;
      const newest = current.get(row.user);
      current.set(row.user, newest === undefined ? session : newer(newest, session));
    }
    return [...users.values()]
      .map(({ row, latest }) => {
        const now = current.get(row.user);
        const shown = now ?? latest;
        return {
          ...row,
          remoteIp: shown.callingNumber ?? null,
          localIp: shown.remoteIp ?? null,
          interface: now?.interface ?? null,
          since: now?.startedAt ?? null,
          lastSeen: now === undefined ? row.lastSeen : null,
        };
      })
      .sort(byUser);
  }

  private tallyOf(users: Map<string, UserTally>, session: PptpdSession): UserTally {
    const user = session.user ?? UNKNOWN_USER;
    let tally = users.get(user);
    if (tally === undefined) {
      tally = { row: emptyRow(user), latest: session };
      users.set(user, tally);
    }
    tally.row.sessions++;
    tally.latest = newer(tally.latest, session);
    return tally;
  }
}

function newer(a: PptpdSession, b: PptpdSession): PptpdSession {
  return b.startedAt >= a.startedAt ? b : a;
}

function emptyRow(user: string): PptpdUserRow {
  return {
    user,
    openSessions: 0,
    sessions: 0,
    tx: 0,
    rx: 0,
    remoteIp: null,
    localIp: null,
    interface: null,
    currentTx: 0,
    currentRx: 0,
    since: null,
    lastSeen: null,
  };
}

function byUser(a: PptpdUserRow, b: PptpdUserRow): number {
  const unknown = Number(a.user === UNKNOWN_USER) - Number(b.user === UNKNOWN_USER);
  return unknown !== 0 ? unknown : a.user < b.user ? -1 : a.user > b.user ? 1 : 0;
}

interface Column {
  header: string;
  /** pptpd-monitor's width; a longer value widens the column so columns never run together. */
  width: number;
  value: (row: PptpdUserRow, now: number) => string;
}

const COLUMNS: Column[] = [
  { header: '#', width: 6, value: (r) => `${r.openSessions}/${r.sessions}` },
  { header: 'TX', width: 8, value: (r) => formatSize(r.tx) },
  { header: 'RX', width: 8, value: (r) => formatSize(r.rx) },
  { header: 'Remote IP', width: 18, value: (r) => address(r.remoteIp, r.openSessions > 0) },
  { header: 'Local IP', width: 18, value: (r) => address(r.localIp, r.openSessions > 0) },
  { header: 'Int', width: 6, value: (r) => r.interface ?? '-' },
  { header: 'CTX', width: 8, value: (r) => formatSize(r.currentTx) },
  { header: 'CRX', width: 8, value: (r) => formatSize(r.currentRx) },
  {
    header: 'Duration/Last seen',
    width: 20,
    value: (r, now) =>
      r.since !== null ? formatDuration(now - r.since) : r.lastSeen !== null ? formatLocalTime(r.lastSeen) : '-',
  },
];

const USER_WIDTH = 15;

/**
 * The table pptpd-monitor prints, in its layout: `*` marks users online, `#` is open/all
 * sessions, addresses in parentheses are the last ones of a user now offline. Unlike it, TX is
 * what was sent to the client (as its README says) and durations are shown.
 */
export function formatPptpdTable(rows: PptpdUserRow[], now: number, failedLogins = 0): string {
  const cells = rows.map((row) => COLUMNS.map((column) => column.value(row, now)));
  const widths = COLUMNS.map((column, i) =>
    Math.max(column.width, column.header.length + 1, ...cells.map((row) => row[i].length + 1))
  );
  const userWidth = Math.max(USER_WIDTH, ...rows.map((row) => row.user.length + 1));
  const line = (marker: string, user: string, values: string[]) =>
    marker + user.padEnd(userWidth) + values.map((value, i) => value.padStart(widths[i])).join('') + '\n';
  let text = 'PPTPD Client Statistics\n\n';
  text += line(
    '',
    'Username'.padEnd(userWidth + 2),
    COLUMNS.map((column) => column.header)
  );
  rows.forEach((row, index) => {
    text += line(row.openSessions > 0 ? '* ' : '  ', row.user, cells[index]);
  });
  if (failedLogins > 0) {
    text += `\nFailed logins: ${failedLogins}\n`;
  }
  return text;
}

function address(ip: string | null, online: boolean): string {
  if (ip === null) {
    return '-';
  }
  return online ? ip : `(${ip})`;
}

const SIZE_UNITS = ['b', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB'];

/** pptpd-monitor's sizes: one decimal, powers of 1024 (`585.4MB`, `0.0b`). */
export function formatSize(bytes: number): string {
  let value = bytes;
  for (const unit of SIZE_UNITS) {
    if (value < 1024) {
      return `${value.toFixed(1)}${unit}`;
    }
    value /= 1024;
  }
  return `${value.toFixed(1)}YB`;
}

/** Like Python's timedelta, as pptpd-monitor meant to print it: `4:12:51`, `2 days, 0:05:09`. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const clock = `${hours}:${two(minutes)}:${two(total % 60)}`;
  return days === 0 ? clock : `${days} day${days === 1 ? '' : 's'}, ${clock}`;
}

/** `2026-11-21 16:20:15` in this machine's zone, as syslog wrote it. */
export function formatLocalTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}
