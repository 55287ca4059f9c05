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
      INSERT INTO traffic_day VALUES (86400, 1, 'alice', 1000, 100), (86400, 1, 'bob', 2000, 200),
                                     (604800, 1, 'alice', 1, 1), (691200, 1, 'alice', 4, 4), (777600, 2, 'alice', 9, 9);
      INSERT INTO retention_state VALUES ('traffic', 900, 5000), ('traffic_minute', 1000, 5000),
                                         ('traffic_hour', 86400, 5000), ('traffic_day', 691200, 5000);
      INSERT INTO rollup_state (id, rolled_through) VALUES (1, 694830);
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
    expect(rows('traffic_server_day')).toEqual([
      { ts: 86400, server_id: 1, bytes_in: 3000, bytes_out: 300 },
      { ts: 604800, server_id: 1, bytes_in: 1, bytes_out: 1 },
      { ts: 691200, server_id: 1, bytes_in: 4, bytes_out: 4 },
      { ts: 777600, server_id: 2, bytes_in: 9, bytes_out: 9 },
    ]);
  });

  it('fills the per-user week rows with the day rows summed per week of the epoch', () => {
    expect(db.prepare('SELECT * FROM traffic_week ORDER BY ts, server_id, user').all()).toEqual([
      { ts: 604800, server_id: 1, user: 'alice', bytes_in: 1001, bytes_out: 101, sealed: 1 },
      { ts: 604800, server_id: 1, user: 'bob', bytes_in: 2000, bytes_out: 200, sealed: 1 },
      { ts: 1209600, server_id: 1, user: 'alice', bytes_in: 4, bytes_out: 4, sealed: 0 },
      { ts: 1209600, server_id: 2, user: 'alice', bytes_in: 9, bytes_out: 9, sealed: 0 },
    ]);
  });

  it('fills the per-user four-week rows with the week rows summed per four weeks of the epoch', () => {
    expect(db.prepare('SELECT * FROM traffic_four_weeks ORDER BY ts, server_id, user').all()).toEqual([
      { ts: 2419200, server_id: 1, user: 'alice', bytes_in: 1005, bytes_out: 105, sealed: 0 },
      { ts: 2419200, server_id: 1, user: 'bob', bytes_in: 2000, bytes_out: 200, sealed: 0 },
      { ts: 2419200, server_id: 2, user: 'alice', bytes_in: 9, bytes_out: 9, sealed: 0 },
    ]);
  });

  it('marks the new rollups as pruned as far as their twins, (four-)week rows from the (four) weeks before the days', () => {
    const kept = db.prepare(
      "SELECT table_name, kept_from FROM retention_state WHERE table_name LIKE 'traffic_%' ORDER BY table_name"
    );
    expect(kept.all()).toEqual([
      { table_name: 'traffic_day', kept_from: 691200 },
      { table_name: 'traffic_four_weeks', kept_from: 0 },
      { table_name: 'traffic_hour', kept_from: 86400 },
      { table_name: 'traffic_minute', kept_from: 1000 },
      { table_name: 'traffic_server_day', kept_from: 691200 },
      { table_name: 'traffic_server_hour', kept_from: 86400 },
      { table_name: 'traffic_server_minute', kept_from: 1000 },
      { table_name: 'traffic_week', kept_from: 604800 },
    ]);
  });

  it('seals the rows up to the last rolled-up whole minute, at whole buckets of each table', () => {
    expect(db.prepare('SELECT through FROM traffic_sealed').get()).toEqual({ through: 694800 });
    const flags = (table: string) =>
      db.prepare(`SELECT DISTINCT ts, sealed FROM ${table} ORDER BY ts`).all() as Array<{ ts: number; sealed: number }>;
    expect(flags('traffic_minute')).toEqual([
      { ts: 1060, sealed: 1 },
      { ts: 1120, sealed: 1 },
    ]);
    expect(flags('traffic_hour')).toEqual([
      { ts: 3600, sealed: 1 },
      { ts: 7200, sealed: 1 },
    ]);
    expect(flags('traffic_day')).toEqual([
      { ts: 86400, sealed: 1 },
      { ts: 604800, sealed: 1 },
      { ts: 691200, sealed: 1 },
      { ts: 777600, sealed: 0 },
    ]);
  });

  it('finds one user’s sealed rollup rows through an index on the user', () => {
    for (const table of ['traffic_minute', 'traffic_hour', 'traffic_day', 'traffic_week', 'traffic_four_weeks']) {
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT SUM(bytes_in) FROM ${table} WHERE user = 'bob' AND ts > 0 AND ts <= 90000 AND sealed = 1`
        )
        .all() as Array<{ detail: string }>;
      expect(plan.map((step) => step.detail)).toEqual([
        `SEARCH ${table} USING COVERING INDEX ${table}_user (user=? AND ts>? AND ts<?)`,
      ]);
    }
  });
});
