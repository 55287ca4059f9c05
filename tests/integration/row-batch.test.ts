import path from 'node:path';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { RowBatch } from '../../backend/src/store/row-batch';
import { makeTempDir } from '../support/temp-dir';

describe('RowBatch on a real SQLite file', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: Db;

  beforeEach(() => {
    temp = makeTempDir();
    db = openDatabase(path.join(temp.dir, 'vpnscope.db'));
    db.exec('CREATE TABLE pairs (a INTEGER PRIMARY KEY, b INTEGER NOT NULL)');
  });

  afterEach(() => {
    db.close();
    temp.cleanup();
  });

  const flat = (rows: Array<[number, number]>): number[] => rows.flat();
  const stored = () => db.prepare('SELECT a, b FROM pairs ORDER BY a').raw().all();

  it.each([0, 1, 99, 100, 101, 250])('inserts every one of %i rows, full batches and the rest', (count) => {
    const rows = Array.from({ length: count }, (_, i): [number, number] => [i + 1, (i + 1) * 7]);
    new RowBatch(db, 2, (values) => `INSERT INTO pairs (a, b) ${values}`).run(flat(rows));
    expect(stored()).toEqual(rows);
  });

  it('updates rows through UPDATE … FROM a VALUES list', () => {
    const rows = Array.from({ length: 230 }, (_, i): [number, number] => [i + 1, 0]);
    new RowBatch(db, 2, (values) => `INSERT INTO pairs (a, b) ${values}`).run(flat(rows));
    const update = new RowBatch(
      db,
      2,
      (values) => `UPDATE pairs SET b = v.column2 FROM (${values}) v WHERE pairs.a = v.column1`
    );
    update.run(flat(rows.filter(([a]) => a % 3 === 0).map(([a]): [number, number] => [a, -a])));
    expect(stored()).toEqual(rows.map(([a]) => [a, a % 3 === 0 ? -a : 0]));
  });
});
