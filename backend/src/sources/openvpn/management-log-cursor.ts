import type { Statement } from 'better-sqlite3';
import type { Db } from '../../store/database';

/** The last server log line handled: its time and how many lines of that second were handled. */
export interface LogPosition {
  time: number;
  linesAtTime: number;
}

export interface LogPositionStore {
  load(): LogPosition | null;
  save(position: LogPosition): void;
}

/**
 * How far the server log has been read. OpenVPN hands out its whole log cache on every `log on
 * all` (or `log all`), so each reconnect and each poll replays lines already handled. Log times
 * are whole seconds, so the cursor also counts the lines of its last second: a replay skips
 * exactly that many lines of that second and takes any that came after them. (Should OpenVPN's
 * cache drop part of that very second before the replay, the replay skips a line too many.)
 */
export class LogCursor {
  private position: LogPosition | null;
  private replayLinesAtTime = 0;
  private saved: LogPosition | null;

  constructor(private readonly store: LogPositionStore | null = null) {
    this.position = store?.load() ?? null;
    this.saved = this.position && { ...this.position };
  }

  /** Before the lines of a history reply: they start from the oldest line OpenVPN still keeps. */
  beginReplay(): void {
    this.replayLinesAtTime = 0;
  }

  /** Whether a history line is new; a new one moves the cursor. */
  isNewInReplay(time: number): boolean {
    const position = this.position;
    if (position === null || time > position.time) {
      this.position = { time, linesAtTime: 1 };
      this.replayLinesAtTime = 1;
      return true;
    }
    if (time < position.time) {
      return false;
    }
    this.replayLinesAtTime += 1;
    if (this.replayLinesAtTime <= position.linesAtTime) {
      return false;
    }
    position.linesAtTime = this.replayLinesAtTime;
    return true;
  }

  /** A live `>LOG:` line is always new; it moves the cursor unless the clock went backwards. */
  passLive(time: number): void {
    const position = this.position;
    if (position === null || time > position.time) {
      this.position = { time, linesAtTime: 1 };
    } else if (time === position.time) {
      position.linesAtTime += 1;
    }
  }

  /** Writes the position if it moved since the last save: once per poll, not once per line. */
  save(): void {
    const position = this.position;
    if (
      this.store &&
      position &&
      (position.time !== this.saved?.time || position.linesAtTime !== this.saved.linesAtTime)
    ) {
      this.store.save(position);
      this.saved = { ...position };
    }
  }
}

/**
 * Keeps the position in `source_offsets` so a restart of vpnscope does not record the replayed
 * log cache twice: `offset` holds the log time, `inode` the lines of that second.
 */
export function sqliteLogPositionStore(db: Db, server: string, now: () => number): LogPositionStore {
  const key = `openvpn-management-log:${server}`;
  const select: Statement<[string], { inode: number | null; offset: number }> = db.prepare(
    'SELECT inode, offset FROM source_offsets WHERE source = ?'
  );
  const upsert: Statement<[string, number, number, number]> = db.prepare(
    `INSERT INTO source_offsets (source, inode, offset, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (source) DO UPDATE SET inode = excluded.inode, offset = excluded.offset, updated_at = excluded.updated_at`
  );
  return {
    load() {
      const row = select.get(key);
      return row === undefined ? null : { time: row.offset, linesAtTime: row.inode ?? 0 };
    },
    save(position) {
      upsert.run(key, position.linesAtTime, position.time, now());
    },
  };
}
