import type { Db } from './database';
import { prepared } from './prepared';

/**
 * Per table, the time from which retention has left every row: older rows were deleted (see
 * `olderThanFrom`). A table that retention never pruned has no entry. The query layer reads it
 * to know which table still holds a range, and rollUp to tell late raw traffic (stamped where
 * retention already pruned) from rows it has absorbed before.
 */
export type KeptFrom = Readonly<Partial<Record<string, number>>>;

export function keptFrom(db: Db): KeptFrom {
  const rows = prepared(db, 'SELECT table_name AS name, kept_from AS keptFrom FROM retention_state').all() as Array<{
    name: string;
    keptFrom: number;
  }>;
  return Object.fromEntries(rows.map((row) => [row.name, row.keptFrom]));
}

/** Records that `table` now holds no row older than `from`; never moves a table's mark back. */
export function saveKeptFrom(db: Db, table: string, from: number, now: number): void {
  prepared(
    db,
    `INSERT INTO retention_state (table_name, kept_from, updated_at) VALUES (@table, @from, @now)
     ON CONFLICT (table_name) DO UPDATE SET kept_from = excluded.kept_from, updated_at = excluded.updated_at
     WHERE excluded.kept_from > kept_from`
  ).run({ table, from, now });
}
