import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';

/** Longest first line that is hashed whole; a longer one is identified by this many bytes. */
export const FINGERPRINT_BYTES = 4096;

/**
 * The identity of a log file's content: a hash of its first line. It survives what rotation does
 * to a file — rename (`syslog` → `syslog.1`), copytruncate's copy, gzip — while inode and size
 * do not, so positions kept under it let a later run resume or skip any rotated file. Null while
 * the file has no complete first line yet.
 */
export function fingerprintOf(head: Buffer): string | null {
  const newline = head.indexOf(10);
  if (newline < 0 && head.length < FINGERPRINT_BYTES) {
    return null;
  }
  const end = newline < 0 ? FINGERPRINT_BYTES : newline + 1;
  return createHash('sha1').update(head.subarray(0, end)).digest('hex').slice(0, 16);
}

export function positionKey(source: string, fingerprint: string): string {
  return `${source}#${fingerprint}`;
}

/** The first FINGERPRINT_BYTES of a file's (decompressed) content. */
export async function readHead(path: string, compressed: boolean): Promise<Buffer> {
  if (!compressed) {
    const handle = await fs.promises.open(path, 'r');
    try {
      const buffer = Buffer.alloc(FINGERPRINT_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, FINGERPRINT_BYTES, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  const chunks: Buffer[] = [];
  let length = 0;
  const raw = fs.createReadStream(path, { highWaterMark: 64 * 1024 });
  const gunzip = zlib.createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  try {
    for await (const chunk of raw.pipe(gunzip) as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= FINGERPRINT_BYTES) {
        break;
      }
    }
  } finally {
    raw.destroy();
  }
  return Buffer.concat(chunks).subarray(0, FINGERPRINT_BYTES);
}

/** The uncompressed length modulo 2^32 that a (single-member) gzip file records in its last four bytes. */
export async function gzipStoredSize(path: string): Promise<number | null> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size < 18) {
      return null;
    }
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, size - 4);
    return trailer.readUInt32LE(0);
  } finally {
    await handle.close();
  }
}
