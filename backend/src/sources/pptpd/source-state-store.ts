import type { Statement } from 'better-sqlite3';
import type { Db } from '../../store/database';

/**
 * A log source's parser state as JSON in `source_state`, one row per source. Saved inside the
 * transaction that saves the source's offsets (see LineDelivery.atomically), so after a restart
 * the state always matches the position reading resumes from.
 */
export class SourceStateStore<T> {
  private readonly select: Statement<[string], { state: string }>;
  private readonly upsert: Statement<[string, string, number]>;

  constructor(
    db: Db,
    private readonly source: string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000)
  ) {
    this.select = db.prepare('SELECT state FROM source_state WHERE source = ?');
    this.upsert = db.prepare(
      `INSERT INTO source_state (source, state, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`
    );
  }

  /** Null before the first save. */
  load(): T | null {
    const row = this.select.get(this.source);
    return row === undefined ? null : (JSON.parse(row.state) as T);
  }

  save(state: T): void {
    this.upsert.run(this.source, JSON.stringify(state), this.now());
  }
}
