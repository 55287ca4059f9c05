import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../store/database';
import { rotatedSiblings } from './syslog-backfill';
import { fingerprintOf, positionKey, readHead } from './syslog-fingerprint';

/**
 * Deletes the `source#fingerprint` positions of log files that no longer exist (rotated out and
 * deleted), keeping those of the live file and every rotated sibling still on disk, which a later
 * backfill must recognise to skip. When any file cannot be read, nothing is deleted: a position
 * dropped for a file that is still there would have it imported twice. Returns how many went.
 */
export async function pruneFilePositions(db: Db, source: string, logPath: string): Promise<number> {
  const directory = path.dirname(logPath);
  const files = rotatedSiblings(path.basename(logPath), await fs.readdir(directory)).map(({ name, compressed }) => ({
    path: path.join(directory, name),
    compressed,
  }));
  files.push({ path: logPath, compressed: false });
  const keep: string[] = [];
  for (const file of files) {
    let head: Buffer;
    try {
      head = await readHead(file.path, file.compressed);
    } catch {
      return 0;
    }
    const fingerprint = fingerprintOf(head);
    if (fingerprint !== null) {
      keep.push(positionKey(source, fingerprint));
    }
  }
  const prefix = positionKey(source, '');
  const { changes } = db
    .prepare(
      `DELETE FROM source_offsets
       WHERE substr(source, 1, ?) = ? AND source NOT IN (SELECT value FROM json_each(?))`
    )
    .run(prefix.length, prefix, JSON.stringify(keep));
  return changes;
}
