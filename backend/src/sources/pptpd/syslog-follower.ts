import fs from 'node:fs';
import path from 'node:path';
import { rotatedSiblings } from './syslog-backfill';
import { FINGERPRINT_BYTES, fingerprintOf, positionKey } from './syslog-fingerprint';
import { importSyslogFile } from './syslog-import';
import { decodeLines, deliverBatch, type LineDelivery, type SyslogFile } from './syslog-lines';

export interface SyslogFollowerOptions extends LineDelivery {
  path: string;
  /** Most bytes read and delivered as one batch. A longer line than this is cut into pieces. */
  chunkBytes?: number;
  /** Told when the copy of a copytruncated file could not be read: those lines are lost. */
  onProblem?: (problem: string) => void;
}

interface OpenLog {
  handle: fs.promises.FileHandle;
  file: SyslogFile;
  offset: number;
  lineCount: number;
  /** The first line as read; a different one at the same path and inode means copytruncate. */
  head: Buffer | null;
  fingerprint: string | null;
}

const DEFAULT_CHUNK_BYTES = 1 << 20;

/**
 * Follows a syslog file like `tail -F`, one poll() at a time, delivering complete lines only (a
 * partial last line waits for its newline). Restart-safe: every batch saves {inode, offset} under
 * `source` and under the content's fingerprint, and a restart goes on from there (run
 * backfillSyslog first to catch up on rotations that happened while it was down). Rotation:
 * - rename + create: the old file is read to its end — and kept until syslog writes to the new
 *   one, because syslog keeps writing to the old file until it reopens — then the new one from 0;
 * - copytruncate (the file shrinks, or its first line changes): the lines between our offset and
 *   the copy are read from the copy (the newest rotated sibling), then the file again from 0.
 */
export class SyslogFollower {
  private current: OpenLog | null = null;
  private readonly chunkBytes: number;

  constructor(private readonly options: SyslogFollowerOptions) {
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  async poll(): Promise<void> {
    this.current ??= await this.open(true);
    if (this.current === null) {
      return;
    }
    await this.readAvailable(this.current);
    await this.followRename(this.current);
  }

  async close(): Promise<void> {
    await this.current?.handle.close();
    this.current = null;
  }

  private async open(resume: boolean): Promise<OpenLog | null> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.options.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return null;
      }
      throw error;
    }
    const stat = await handle.stat();
    const file = { path: this.options.path, inode: stat.ino, mtime: Math.floor(stat.mtimeMs / 1000) };
    const log: OpenLog = { handle, file, offset: 0, lineCount: 0, head: null, fingerprint: null };
    await this.learnFirstLine(log);
    if (resume) {
      await this.resume(log);
    }
    return log;
  }

  /**
   * The position saved for this content (by fingerprint) is where to go on. The same inode without
   * one means the file was copytruncated while we were down: finish the copy, then start at 0.
   */
  private async resume(log: OpenLog): Promise<void> {
    const { source, store } = this.options;
    const stored = store.load(source);
    const ofContent = log.fingerprint === null ? null : store.load(positionKey(source, log.fingerprint));
    if (ofContent !== null) {
      log.offset = ofContent.offset;
    } else if (stored !== null && stored.inode === log.file.inode && stored.offset > 0) {
      await this.recoverCopiedTail();
    }
  }

  private async readAvailable(log: OpenLog): Promise<void> {
    for (;;) {
      const { size } = await log.handle.stat();
      if (size < log.offset || !(await this.sameFirstLine(log))) {
        await this.recoverCopiedTail();
        Object.assign(log, { offset: 0, lineCount: 0, head: null, fingerprint: null });
      }
      if (log.offset >= size) {
        return;
      }
      const length = Math.min(this.chunkBytes, size - log.offset);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await log.handle.read(buffer, 0, length, log.offset);
      const newline = buffer.lastIndexOf(10, bytesRead - 1);
      if (newline < 0 && bytesRead < this.chunkBytes) {
        return; // a partial line: wait for the rest
      }
      if (log.fingerprint === null) {
        await this.learnFirstLine(log);
      }
      const end = newline < 0 ? bytesRead : newline;
      this.deliver(log, decodeLines(buffer, end), log.offset + (newline < 0 ? bytesRead : newline + 1));
    }
  }

  private deliver(log: OpenLog, lines: string[], endOffset: number): void {
    const keys =
      log.fingerprint === null
        ? [this.options.source]
        : [this.options.source, positionKey(this.options.source, log.fingerprint)];
    const batch = {
      file: log.file,
      firstLine: log.lineCount + 1,
      lines,
      end: { inode: log.file.inode, offset: endOffset },
    };
    deliverBatch(this.options, batch, keys);
    log.offset = endOffset;
    log.lineCount += lines.length;
  }

  private async learnFirstLine(log: OpenLog): Promise<void> {
    const buffer = Buffer.alloc(FINGERPRINT_BYTES);
    const { bytesRead } = await log.handle.read(buffer, 0, FINGERPRINT_BYTES, 0);
    const head = buffer.subarray(0, bytesRead);
    log.fingerprint = fingerprintOf(head);
    if (log.fingerprint !== null) {
      const newline = head.indexOf(10);
      log.head = newline < 0 ? head : head.subarray(0, newline + 1);
    }
  }

  private async sameFirstLine(log: OpenLog): Promise<boolean> {
    if (log.head === null) {
      return true;
    }
    const now = Buffer.alloc(log.head.length);
    const { bytesRead } = await log.handle.read(now, 0, now.length, 0);
    return bytesRead === now.length && now.equals(log.head);
  }

  /**
   * copytruncate copied the file before emptying it: what we had not read yet is in that copy,
   * the newest rotated sibling (plain, or gzipped right away). Its fingerprint position, saved
   * while we followed the original, says where to go on in it.
   */
  private async recoverCopiedTail(): Promise<void> {
    const directory = path.dirname(this.options.path);
    const siblings = rotatedSiblings(path.basename(this.options.path), await fs.promises.readdir(directory));
    const newest = siblings.filter((sibling) => sibling.age === siblings[siblings.length - 1]?.age);
    // while logrotate compresses, `.1` and a half-written `.1.gz` both exist: try the plain one first
    newest.sort((a, b) => Number(a.compressed) - Number(b.compressed));
    for (const sibling of newest) {
      const target = { path: path.join(directory, sibling.name), compressed: sibling.compressed, live: false };
      try {
        const { outcome } = await importSyslogFile(target, this.options, { onlyIfKnown: true });
        if (outcome !== 'never-followed') {
          return;
        }
      } catch (error) {
        this.options.onProblem?.(`could not finish ${target.path} after copytruncate: ${(error as Error).message}`);
      }
    }
  }

  private async followRename(log: OpenLog): Promise<void> {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(this.options.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return; // renamed away and not yet recreated: keep reading the old file
      }
      throw error;
    }
    if (stat.ino === log.file.inode || stat.size === 0) {
      return; // same file, or a new one syslog has not written to yet
    }
    await this.readAvailable(log);
    await this.deliverUnterminatedTail(log);
    await log.handle.close();
    this.current = await this.open(false);
    if (this.current !== null) {
      await this.readAvailable(this.current);
    }
  }

  /** A rotated-away file is final: an unterminated last line will never be finished. */
  private async deliverUnterminatedTail(log: OpenLog): Promise<void> {
    const { size } = await log.handle.stat();
    if (size > log.offset) {
      const buffer = Buffer.alloc(size - log.offset);
      const { bytesRead } = await log.handle.read(buffer, 0, buffer.length, log.offset);
      this.deliver(log, [buffer.toString('utf8', 0, bytesRead)], log.offset + bytesRead);
    }
  }
}
