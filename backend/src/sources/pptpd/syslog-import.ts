import fs from 'node:fs';
import zlib from 'node:zlib';
import { fingerprintOf, gzipStoredSize, positionKey, readHead } from './syslog-fingerprint';
import { deliverBatch, LineSplitter, type LineBatch, type LineDelivery, type SyslogFile } from './syslog-lines';

export interface SyslogFileToImport {
  path: string;
  compressed: boolean;
  /** The file syslog still writes to: its partial last line waits, and its position is the follower's too. */
  live: boolean;
}

export type ImportOutcome = 'read' | 'already-imported' | 'no-complete-line' | 'never-followed';

export interface ImportResult {
  outcome: ImportOutcome;
  lines: number;
}

const READ_CHUNK_BYTES = 1 << 20;
const GUNZIP_CHUNK_BYTES = 256 * 1024;
const GZIP_SIZE_MODULUS = 2 ** 32;

/**
 * Delivers one log file's lines from where an earlier run stopped in this content (found by
 * fingerprint, so a file renamed or gzipped since is still recognised) to its end, gunzipping
 * as a stream. `onlyIfKnown` reads nothing from content never seen before (the follower uses it
 * to finish a copy of what it was reading, not to import history). `onRawPosition` reports how
 * far into the file on disk (compressed bytes for gzip) reading has come, for progress.
 */
export async function importSyslogFile(
  target: SyslogFileToImport,
  delivery: LineDelivery,
  options: { onlyIfKnown?: boolean; onRawPosition?: (position: number) => void } = {}
): Promise<ImportResult> {
  const stat = await fs.promises.stat(target.path);
  const fingerprint = fingerprintOf(await readHead(target.path, target.compressed));
  if (fingerprint === null) {
    return { outcome: 'no-complete-line', lines: 0 };
  }
  const key = positionKey(delivery.source, fingerprint);
  const stored = delivery.store.load(key);
  if (stored === null && options.onlyIfKnown) {
    return { outcome: 'never-followed', lines: 0 };
  }
  const start = stored?.offset ?? 0;
  if (await alreadyImported(target, start, stat.size)) {
    return { outcome: 'already-imported', lines: 0 };
  }
  const file: SyslogFile = { path: target.path, inode: stat.ino, mtime: Math.floor(stat.mtimeMs / 1000) };
  const keys = target.live ? [key, delivery.source] : [key];
  const splitter = new LineSplitter();
  let lineNumber = 1;
  const emit = (lines: string[], offset: number) => {
    const batch: LineBatch = { file, firstLine: lineNumber, lines, end: { inode: stat.ino, offset } };
    deliverBatch(delivery, batch, keys);
    lineNumber += lines.length;
  };

  const raw = fs.createReadStream(target.path, {
    start: target.compressed ? 0 : start,
    highWaterMark: READ_CHUNK_BYTES,
  });
  const content = target.compressed ? raw.pipe(zlib.createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES })) : raw;
  if (content !== raw) {
    raw.on('error', (error) => content.destroy(error));
  }
  // gzip has no random access: decompress from the start and drop what an earlier run delivered
  let toSkip = target.compressed ? start : 0;
  try {
    for await (const chunk of content as AsyncIterable<Buffer>) {
      let data = chunk;
      if (toSkip > 0) {
        const skipped = Math.min(toSkip, data.length);
        toSkip -= skipped;
        data = data.subarray(skipped);
      }
      const lines = splitter.push(data);
      if (lines.length > 0) {
        emit(lines, start + splitter.consumedBytes);
      }
      options.onRawPosition?.(raw.bytesRead + (target.compressed ? 0 : start));
    }
  } finally {
    raw.destroy();
  }
  const rest = splitter.rest();
  if (rest !== null && !target.live) {
    // a rotated file is final: its unterminated last line will never be finished
    emit([rest.toString('utf8')], start + splitter.consumedBytes + rest.length);
  }
  return { outcome: 'read', lines: lineNumber - 1 };
}

async function alreadyImported(target: SyslogFileToImport, start: number, size: number): Promise<boolean> {
  if (!target.compressed) {
    return start >= size;
  }
  return start > 0 && start % GZIP_SIZE_MODULUS === (await gzipStoredSize(target.path));
}
