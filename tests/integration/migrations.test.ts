import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, openDatabase } from '../../backend/src/store/database';
import { migrations } from '../../backend/src/store/migrations';
import { makeTempDir } from '../support/temp-dir';

/** Applies the first `count` migrations only: a database as an older vpnscope left it. */
function databaseAtVersion(file: string, count: number): Database.Database {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  for (let version = 0; version < count; version++) {
    db.exec(migrations[version]);
  }
  db.pragma(`user_version = ${count}`);
  return db;
}

describe('schema migrations', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir();
  });

  afterEach(() => temp.cleanup());

  it('brings a new database to the latest version', () => {
    const db = openDatabase(path.join(temp.dir, 'new.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
  });

  it('moves the counters of sessions stored before version 4 into session_counters, losing none', () => {
    const file = path.join(temp.dir, 'old.db');
    const old = databaseAtVersion(file, 3);
    old.exec(`
      INSERT INTO servers (id, name, kind) VALUES (1, 'udp1194', 'openvpn');
      INSERT INTO sessions (id, server_id, identity, user, common_name, real_address, started_at, ended_at,
                            last_seen, bytes_in, bytes_out)
      VALUES (1, 1, 'cid:0:1000', 'alice', 'alice', '198.18.0.2:40000', 1000, NULL, 1600, 12345, 67890),
             (2, 1, 'cid:1:1000', 'bob', 'bob', '198.18.0.3:40001', 1000, 1500, 1500, 1, 2);
    `);
    old.close();

    const db = new Database(file);
    migrate(db);
    expect(db.prepare('SELECT * FROM session_counters ORDER BY session_id').all()).toEqual([
      { session_id: 1, last_seen: 1600, bytes_in: 12345, bytes_out: 67890 },
      { session_id: 2, last_seen: 1500, bytes_in: 1, bytes_out: 2 },
    ]);
    const columns = (db.prepare('PRAGMA table_info(sessions)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).not.toContain('bytes_in');
    expect(columns).toContain('user');
    db.close();
  });

  it('keeps every traffic delta through version 5, which drops the copied server and user', () => {
    const file = path.join(temp.dir, 'traffic.db');
    const old = databaseAtVersion(file, 4);
    old.exec(`
      INSERT INTO servers (id, name, kind) VALUES (1, 'udp1194', 'openvpn');
      INSERT INTO sessions (id, server_id, identity, user, common_name, real_address, started_at)
      VALUES (7, 1, 'cid:0:1000', 'alice', 'alice', '198.18.0.2:40000', 1000);
      INSERT INTO traffic (ts, session_id, server_id, user, bytes_in, bytes_out)
      VALUES (1010, 7, 1, 'alice', 100, 200), (1020, 7, 1, 'alice', 300, 400);
    `);
    old.close();

    const db = new Database(file);
    migrate(db);
    expect(db.prepare('SELECT * FROM traffic ORDER BY ts').all()).toEqual([
      { ts: 1010, session_id: 7, bytes_in: 100, bytes_out: 200 },
      { ts: 1020, session_id: 7, bytes_in: 300, bytes_out: 400 },
    ]);
    db.close();
  });

  it('moves how far retention has pruned each table out of source_state in version 6', () => {
    const file = path.join(temp.dir, 'retention.db');
    const old = databaseAtVersion(file, 5);
    old.exec(`
      INSERT INTO source_state (source, state, updated_at) VALUES ('retention', '{"traffic":1000,"capacity":2000}', 3000),
                                                                  ('pptpd:vpn1', '{}', 3000);
    `);
    old.close();

    const db = new Database(file);
    migrate(db);
    expect(db.prepare('SELECT * FROM retention_state ORDER BY table_name').all()).toEqual([
      { table_name: 'capacity', kept_from: 2000, updated_at: 3000 },
      { table_name: 'traffic', kept_from: 1000, updated_at: 3000 },
    ]);
    expect(db.prepare('SELECT source FROM source_state').all()).toEqual([{ source: 'pptpd:vpn1' }]);
    db.close();
  });

  it('deletes a session’s counters with the session', () => {
    const db = openDatabase(path.join(temp.dir, 'cascade.db'));
    db.exec(`
      INSERT INTO servers (id, name, kind) VALUES (1, 'udp1194', 'openvpn');
      INSERT INTO sessions (id, server_id, identity, user, common_name, real_address, started_at)
      VALUES (1, 1, 'cid:0:1000', 'alice', 'alice', '198.18.0.2:40000', 1000);
      INSERT INTO session_counters VALUES (1, 1000, 5, 6);
      DELETE FROM sessions;
    `);
    expect(db.prepare('SELECT COUNT(*) AS n FROM session_counters').get()).toEqual({ n: 0 });
    db.close();
  });
});
