import type { FilePosition, OffsetStore } from './offset-store';

export interface SyslogFile {
  path: string;
  inode: number;
  /** Unix seconds when the file was opened for reading: no line in it is later (classic timestamps need a year). */
  mtime: number;
}

/** Complete lines read from one file, and where reading continues after them. */
export interface LineBatch {
  file: SyslogFile;
  /** 1-based number of lines[0], counted from where reading of this file began: exact when that was offset 0. */
  firstLine: number;
  lines: string[];
  end: FilePosition;
}

export type LineConsumer = (batch: LineBatch) => void;

/** Who gets the lines, and where their positions are kept. */
export interface LineDelivery {
  /** The offset-store key of this log (e.g. `pptpd:vpn1:/var/log/syslog`). */
  source: string;
  store: OffsetStore;
  consume: LineConsumer;
  /**
   * Runs a batch's consumption and its position saves as one unit, e.g.
   * `(work) => db.transaction(work)()`, so a crash can never keep one without the other.
   */
  atomically?: (work: () => void) => void;
}

export function deliverBatch(delivery: LineDelivery, batch: LineBatch, positionKeys: readonly string[]): void {
  const work = () => {
    delivery.consume(batch);
    for (const key of positionKeys) {
      delivery.store.save(key, batch.end);
    }
  };
  if (delivery.atomically) {
    delivery.atomically(work);
  } else {
    work();
  }
}

/** The lines in bytes[0, end), where `end` is the index of the last newline. */
export function decodeLines(bytes: Buffer, end: number): string[] {
  return bytes.toString('utf8', 0, end).split('\n');
}

/** Cuts a byte stream into complete lines, holding a partial last line until its newline arrives. */
export class LineSplitter {
  private carry: Buffer | null = null;
  /** Bytes up to and including the last newline seen so far. */
  consumedBytes = 0;

  push(chunk: Buffer): string[] {
    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      this.carry = this.carry === null ? Buffer.from(chunk) : Buffer.concat([this.carry, chunk]);
      return [];
    }
    const carried = this.carry?.length ?? 0;
    const head = this.carry === null ? chunk : Buffer.concat([this.carry, chunk.subarray(0, last + 1)]);
    const lines = decodeLines(head, carried + last);
    this.carry = last + 1 < chunk.length ? Buffer.from(chunk.subarray(last + 1)) : null;
    this.consumedBytes += carried + last + 1;
    return lines;
  }

  /** The bytes after the last newline: a final line without one. */
  rest(): Buffer | null {
    return this.carry;
  }
}
