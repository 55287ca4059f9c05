import fs from 'node:fs';
import path from 'node:path';
import { importSyslogFile, type SyslogFileToImport } from './syslog-import';
import type { LineDelivery } from './syslog-lines';

export interface BackfillProgress {
  file: string;
  /** Bytes on disk (compressed for gzip) behind us, across all files. */
  bytesDone: number;
  bytesTotal: number;
}

export interface BackfillOptions extends LineDelivery {
  /** The live log, e.g. /var/log/syslog; its rotated siblings are found beside it. */
  path: string;
  onProgress?: (progress: BackfillProgress) => void;
}

export interface BackfillSummary {
  /** Files that had lines not delivered before. */
  read: string[];
  /** Files a previous run had delivered in full. */
  skipped: string[];
  failed: Array<{ path: string; error: string }>;
  lines: number;
}

export interface RotatedFile {
  name: string;
  compressed: boolean;
  /** Larger is older; comparable only among files of one naming scheme. */
  age: number;
}

const ROTATED_NAME = /^(?:\.(\d+)|-(\d{8,10}))(\.gz)?$/;

/**
 * The rotated siblings of `base` among `names`, oldest first: numbered ones (`syslog.3.gz`,
 * `syslog.2.gz`, `syslog.1`) by falling number, dated ones (logrotate `dateext`, `syslog-20261121`)
 * by rising date. Other compressions (.xz, .zst) are not read.
 */
export function rotatedSiblings(base: string, names: readonly string[]): RotatedFile[] {
  const found: RotatedFile[] = [];
  for (const name of names) {
    if (!name.startsWith(base)) {
      continue;
    }
    const match = ROTATED_NAME.exec(name.slice(base.length));
    if (match !== null) {
      // numbers count up with age; dates count down with it
      const age = match[1] !== undefined ? Number(match[1]) : -Number(match[2]);
      found.push({ name, compressed: match[3] !== undefined, age });
    }
  }
  return found.sort((a, b) => b.age - a.age);
}

/**
 * Imports a log and its rotated predecessors, oldest first, each from where an earlier run
 * stopped in it: a second run reads nothing twice, a run after a rotation reads only what is new.
 * Ends with the live file's position saved, so a SyslogFollower continues exactly there. A file
 * that cannot be read is reported and skipped; the others are still imported.
 */
export async function backfillSyslog(options: BackfillOptions): Promise<BackfillSummary> {
  const directory = path.dirname(options.path);
  const base = path.basename(options.path);
  const targets: SyslogFileToImport[] = rotatedSiblings(base, await fs.promises.readdir(directory)).map(
    ({ name, compressed }) => ({ path: path.join(directory, name), compressed, live: false })
  );
  targets.push({ path: options.path, compressed: false, live: true });

  const sizes = await Promise.all(targets.map((target) => fileSize(target.path)));
  const bytesTotal = sizes.reduce((sum, size) => sum + size, 0);
  const summary: BackfillSummary = { read: [], skipped: [], failed: [], lines: 0 };
  let bytesBefore = 0;
  for (const [index, target] of targets.entries()) {
    const report = (position: number) =>
      options.onProgress?.({ file: target.path, bytesDone: bytesBefore + position, bytesTotal });
    try {
      const result = await importSyslogFile(target, options, { onRawPosition: report });
      summary.lines += result.lines;
      (result.outcome === 'read' ? summary.read : summary.skipped).push(target.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!(target.live && code === 'ENOENT')) {
        summary.failed.push({ path: target.path, error: (error as Error).message });
      }
    }
    bytesBefore += sizes[index];
    report(0);
  }
  return summary;
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.promises.stat(file)).size;
  } catch {
    return 0;
  }
}
