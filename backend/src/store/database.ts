import Database from 'better-sqlite3';
import { migrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the vpnscope database and brings its schema up to date.
 * WAL lets the API read while a poll writes; synchronous=NORMAL is durable across process
 * crashes in WAL mode and makes each poll's transaction several times cheaper. Incremental
 * auto-vacuum, which only a new database takes (before its first table), lets retention give
 * deleted pages back to the file system (see vacuum.ts).
 */
export function openDatabase(path: string): Db {
  const db = new Database(path);
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
