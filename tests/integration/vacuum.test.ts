import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RetentionConfig } from '../../backend/src/config';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { applyRetention } from '../../backend/src/store/retention';
import { rollUp } from '../../backend/src/store/rollups';
import { shrinksAfterDeletes } from '../../backend/src/store/vacuum';
import { addServer, addSession, at } from '../support/seed-db';
import { makeTempDir } from '../support/temp-dir';

const DAY = 86_400;
const start = at('2024-03-04T00:00:00Z');
const retention: RetentionConfig = {
  rawDays: 1,
  minuteDays: 30,
  hourDays: 30,
  dayDays: 30,
  eventsDays: 30,
  sessionsDays: 30,
};

/** Two days of 20 sessions' deltas every 10 s (345,600 rows), rolled up. */
function fillTwoDays(db: Db): void {
  const serverId = addServer(db, 'udp1194');
  const insert = db.prepare('INSERT INTO traffic (ts, session_id, bytes_in, bytes_out) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    const sessions = Array.from({ length: 20 }, (_, i) =>
      addSession(db, { serverId, user: `u${i}`, startedAt: start })
    );
    for (let ts = start + 10; ts <= start + 2 * DAY; ts += 10) {
      sessions.forEach((sessionId) => insert.run(ts, sessionId, 1_000_000 + (ts % 9_973), 50_000 + (ts % 997)));
    }
  })();
  while (rollUp(db)) {
    // a bounded chunk per call
  }
}

/** The file's size once the WAL is folded back into it, as it stands on disk. */
function settledSize(db: Db, file: string): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return fs.statSync(file).size;
}

describe('the database file after retention', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.cleanup());

  it('shrinks once retention has deleted most raw rows', () => {
    const file = path.join(temp.dir, 'vpnscope.db');
    const db = openDatabase(file);
    fillTwoDays(db);
    const before = settledSize(db, file);
    const { deleted, freedPages } = applyRetention(db, retention, start + 2 * DAY);
    const after = settledSize(db, file);
    expect(shrinksAfterDeletes(db)).toBe(true);
    expect(deleted.traffic).toBe((DAY / 10) * 20);
    expect(freedPages).toBeGreaterThan(0);
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(after).toBeLessThan(before * 0.75);
    db.close();
  });

  it('keeps its size, reusing the space, when the database was created before incremental vacuum', () => {
    const file = path.join(temp.dir, 'old.db');
    const old = new Database(file);
    old.exec('CREATE TABLE made_by_an_older_version (x)');
    old.close();
    const db = openDatabase(file);
    expect(shrinksAfterDeletes(db)).toBe(false);
    fillTwoDays(db);
    const before = settledSize(db, file);
    const { deleted, freedPages } = applyRetention(db, retention, start + 2 * DAY);
    expect(deleted.traffic).toBeGreaterThan(0);
    expect(freedPages).toBe(0);
    expect(settledSize(db, file)).toBe(before);
    expect(db.pragma('freelist_count', { simple: true })).toBeGreaterThan(0);
    db.close();
  });
});
