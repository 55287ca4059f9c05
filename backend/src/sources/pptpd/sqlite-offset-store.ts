import type { Statement } from 'better-sqlite3';
import type { Db } from '../../store/database';
import type { FilePosition, OffsetStore } from './offset-store';
import { positionKey } from './syslog-fingerprint';

interface OffsetRow {
  inode: number | null;
  offset: number;
}

/**
 * Read positions in the `source_offsets` table. Saving inside the transaction that writes what
 * the lines produced (see LineDelivery.atomically) makes the two move together.
 */
export class SqliteOffsetStore implements OffsetStore {
  private readonly select: Statement<[string], OffsetRow>;
  private readonly selectAll: Statement<[string, number, string], OffsetRow & { source: string }>;
  private readonly upsert: Statement<[string, number, number, number]>;

  constructor(
    db: Db,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000)
  ) {
    this.select = db.prepare('SELECT inode, offset FROM source_offsets WHERE source = ?');
    this.selectAll = db.prepare(
      'SELECT source, inode, offset FROM source_offsets WHERE source = ? OR substr(source, 1, ?) = ?'
    );
    this.upsert = db.prepare(
      `INSERT INTO source_offsets (source, inode, offset, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET inode = excluded.inode, offset = excluded.offset, updated_at = excluded.updated_at`
    );
  }

  load(source: string): FilePosition | null {
    const row = this.select.get(source);
    return row === undefined ? null : { inode: row.inode ?? 0, offset: row.offset };
  }

  /** Every position kept for a log: its own and those of its files' contents (`source#fingerprint`). */
  positionsOf(source: string): Array<[string, FilePosition]> {
    const prefix = positionKey(source, '');
    return this.selectAll
      .all(source, prefix.length, prefix)
      .map((row): [string, FilePosition] => [row.source, { inode: row.inode ?? 0, offset: row.offset }]);
  }

  save(source: string, position: FilePosition): void {
    this.upsert.run(source, position.inode, position.offset, this.now());
  }
}
