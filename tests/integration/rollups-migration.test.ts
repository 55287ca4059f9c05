import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../backend/src/store/database';
import { migrations } from '../../backend/src/store/migrations';
import { makeTempDir } from '../support/temp-dir';

/** The migration that adds the per-server traffic rollups and the per-user indexes. */
const SERVER_ROLLUPS = migrations.findIndex((sql) => sql.includes('CREATE TABLE traffic_server_minute'));

describe('upgrading a database to per-server traffic rollups', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Database.Database;

  beforeAll(() => {
    temp = makeTempDir();
    const file = path.join(temp.dir, 'old.db');
    const old = new Database(file);
    for (const sql of migrations.slice(0, SERVER_ROLLUPS)) {
      old.exec(sql);
    }
    old.pragma(`user_version = ${SERVER_ROLLUPS}`);
    old.exec(`
      INSERT INTO servers (id, name, kind) VALUES (1, 'udp1194', 'openvpn'), (2, 'tcp443', 'openvpn');
      INSERT INTO traffic_minute VALUES (1060, 1, 'alice', 10, 1), (1060, 1, 'bob', 20, 2), (1060, 2, 'alice', 40, 4),
                                        (1120, 1, 'bob', 80, 8);
      INSERT INTO traffic_hour VALUES (3600, 1, 'alice', 100, 10), (3600, 1, 'bob', 200, 20), (7200, 2, 'carol', 5, 6);
      INSERT INTO traffic_day VALUES (86400, 1, 'alice', 1000, 100), (86400, 1, 'bob', 2000, 200);
      INSERT INTO retention_state VALUES ('traffic', 900, 5000), ('traffic_minute', 1000, 5000),
                                         ('traffic_hour', 0, 5000), ('traffic_day', -86400, 5000);
    `);
    old.close();
    db = new Database(file);
    migrate(db);
  });

  afterAll(() => {
    db.close();
    temp.cleanup();
  });

  it('fills the per-server rollups with the sums of the per-user rows', () => {
    const rows = (table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY ts, server_id`).all();
    expect(rows('traffic_server_minute')).toEqual([
      { ts: 1060, server_id: 1, bytes_in: 30, bytes_out: 3 },
      { ts: 1060, server_id: 2, bytes_in: 40, bytes_out: 4 },
      { ts: 1120, server_id: 1, bytes_in: 80, bytes_out: 8 },
    ]);
    expect(rows('traffic_server_hour')).toEqual([
      { ts: 3600, server_id: 1, bytes_in: 300, bytes_out: 30 },
      { ts: 7200, server_id: 2, bytes_in: 5, bytes_out: 6 },
    ]);
    expect(rows('traffic_server_day')).toEqual([{ ts: 86400, server_id: 1, bytes_in: 3000, bytes_out: 300 }]);
  });

  it('marks the per-server rollups as pruned as far as their per-user twins', () => {
    const kept = db.prepare(
      "SELECT table_name, kept_from FROM retention_state WHERE table_name LIKE 'traffic_server%'"
    );
    expect(kept.all()).toEqual([
      { table_name: 'traffic_server_day', kept_from: -86400 },
      { table_name: 'traffic_server_hour', kept_from: 0 },
      { table_name: 'traffic_server_minute', kept_from: 1000 },
    ]);
  });

  it('finds one user’s rollup rows through an index on the user', () => {
    for (const table of ['traffic_minute', 'traffic_hour', 'traffic_day']) {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN SELECT SUM(bytes_in) FROM ${table} WHERE user = 'bob' AND ts > 0 AND ts <= 90000`)
        .all() as Array<{ detail: string }>;
      expect(plan.map((step) => step.detail)).toEqual([
        `SEARCH ${table} USING COVERING INDEX ${table}_user (user=? AND ts>? AND ts<?)`,
      ]);
    }
  });
});
