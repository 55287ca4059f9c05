/** Where reading of one file stopped: every byte before `offset` has been delivered. */
export interface FilePosition {
  inode: number;
  offset: number;
}

/**
 * Remembers read positions so a restart neither loses nor repeats lines. Keys are the
 * follower's source name (the live file's {inode, offset}) and `source#fingerprint` per file
 * content, which survives rename, copy and gzip (see syslog-fingerprint.ts).
 */
export interface OffsetStore {
  load(source: string): FilePosition | null;
  save(source: string, position: FilePosition): void;
}

export class MemoryOffsetStore implements OffsetStore {
  private readonly positions = new Map<string, FilePosition>();

  load(source: string): FilePosition | null {
    const position = this.positions.get(source);
    return position === undefined ? null : { ...position };
  }

  save(source: string, position: FilePosition): void {
    this.positions.set(source, { ...position });
  }
}
