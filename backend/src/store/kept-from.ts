import type { Db } from './database';
import { prepared } from './prepared';

/**
 * Per table, the time from which retention has left every row: older rows were deleted (see
 * `olderThanFrom`). A table that retention never pruned has no entry. The query layer reads it
 * to know which table still holds a range, and rollUp to tell late raw traffic (stamped where
 * retention already pruned) from rows it has absorbed before.
 */
export type KeptFrom = Readonly<Partial<Record<string, number>>>;

// A handful of numbers, kept in the store's key-value table under a key no source can take
// (sources are named `pptpd:…`), so no schema change was needed for them.
const KEY = 'retention';

export function keptFrom(db: Db): KeptFrom {
  const row = prepared(db, 'SELECT state FROM source_state WHERE source = ?').get(KEY) as { state: string } | undefined;
  return row ? (JSON.parse(row.state) as KeptFrom) : {};
}

/** Records that `table` now holds no row older than `from`; never moves a table's mark back. */
export function saveKeptFrom(db: Db, table: string, from: number, now: number): void {
  const kept = keptFrom(db);
  if ((kept[table] ?? -Infinity) >= from) {
    return;
  }
  prepared(
    db,
    `INSERT INTO source_state (source, state, updated_at) VALUES (@key, @state, @now)
     ON CONFLICT (source) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`
  ).run({ key: KEY, state: JSON.stringify({ ...kept, [table]: from }), now });
}
