import type { Db } from './database';

/** Pages one step gives back: 4 MiB at SQLite's default page size, a few milliseconds of work. */
const STEP_PAGES = 1_024;

/** 2 is INCREMENTAL; a database created before vpnscope set it says 0 and never shrinks. */
export const shrinksAfterDeletes = (db: Db): boolean => db.pragma('auto_vacuum', { simple: true }) === 2;

const freePages = (db: Db): number => db.pragma('freelist_count', { simple: true }) as number;

/**
 * Gives the file's free pages back to the file system, STEP_PAGES per transaction (each step moves
 * pages from the end of the file into holes, then truncates), yielding the pages each step freed.
 * In WAL mode the file itself shrinks at the next checkpoint.
 */
export function* shrinkSteps(db: Db): Generator<number> {
  if (!shrinksAfterDeletes(db)) {
    return;
  }
  for (let before = freePages(db); before > 0;) {
    db.pragma(`incremental_vacuum(${STEP_PAGES})`);
    const after = freePages(db);
    if (after >= before) {
      return;
    }
    yield before - after;
    before = after;
  }
}
