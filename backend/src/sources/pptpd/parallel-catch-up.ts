import fs from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { rotatedSiblings, type BackfillProgress, type BackfillSummary } from './syslog-backfill';
import type { CatchUpBatch, CatchUpJob, CatchUpMessage } from './catch-up-worker';

const WORKER = path.join(__dirname, `catch-up-worker${path.extname(__filename)}`);

/** Run from TypeScript sources (tests, benchmarks), the worker needs ts-node as this process did. */
const TYPESCRIPT_WORKER =
  path.extname(__filename) === '.ts'
    ? {
        execArgv: ['-r', 'ts-node/register/transpile-only'],
        env: { ...process.env, TS_NODE_PROJECT: path.resolve(__dirname, '../../../tsconfig.json') },
      }
    : {};

/**
 * A catch-up split over two threads: a worker reads and parses (catch-up-worker.ts) while this
 * thread hands each batch to `commit`, which must write it in one transaction; a backfill of a
 * year of logs then takes about as long as the slower half instead of both. Batches arrive in
 * order; once `commit` throws, the worker is stopped and the promise rejects, leaving the
 * database at the last committed batch.
 */
export function catchUpInWorker(
  job: Omit<CatchUpJob, 'committed'>,
  commit: (batch: CatchUpBatch) => void,
  onProgress?: (progress: BackfillProgress) => void
): Promise<BackfillSummary> {
  const committed = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const counter = new Int32Array(committed);
  const worker = new Worker(WORKER, { workerData: { ...job, committed }, ...TYPESCRIPT_WORKER });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (!settled) {
        settled = true;
        void worker.terminate();
        reject(error);
      }
    };
    worker.on('message', (message: CatchUpMessage) => {
      if (settled) {
        return;
      }
      try {
        if (message.kind === 'batch') {
          commit(message);
          Atomics.add(counter, 0, 1);
          Atomics.notify(counter, 0);
        } else if (message.kind === 'progress') {
          onProgress?.(message.progress);
        } else {
          settled = true;
          resolve(message.summary);
        }
      } catch (error) {
        fail(error);
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the catch-up worker stopped (exit code ${code})`)));
  });
}

/** The size of a log and its rotated siblings on disk: what a catch-up may have to read, at most. */
export async function logSize(logPath: string): Promise<number> {
  const directory = path.dirname(logPath);
  const base = path.basename(logPath);
  const names = [base, ...rotatedSiblings(base, await fs.readdir(directory)).map((file) => file.name)];
  const sizes = await Promise.all(
    names.map((name) =>
      fs.stat(path.join(directory, name)).then(
        (stat) => stat.size,
        () => 0
      )
    )
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}
