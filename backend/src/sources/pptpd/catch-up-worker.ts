/**
 * The reading half of a large catch-up, run in a worker thread (see parallel-catch-up.ts): reads
 * and parses the log and its rotations exactly as backfillSyslog does inline, and posts each
 * batch's outputs, positions and assembler state to the main thread, which writes them in one
 * transaction. It stays at most MAX_AHEAD batches ahead, so memory stays flat however far the
 * writing lags.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { PptpdAssemblerState } from '../../parsers/pppd-session';
import type { PptpdOutput } from '../../parsers/pptpd-records';
import type { SyslogTimeZone } from '../../parsers/syslog-year';
import { MemoryOffsetStore, type FilePosition } from './offset-store';
import { PptpdLogReader } from './pptpd-log-reader';
import { backfillSyslog, type BackfillProgress, type BackfillSummary } from './syslog-backfill';

export interface CatchUpJob {
  path: string;
  source: string;
  /** Every stored position of this source (`source` and `source#fingerprint` keys). */
  positions: Array<[string, FilePosition]>;
  state: PptpdAssemblerState | null;
  timeZone: SyslogTimeZone;
  /** One Int32: how many batches the main thread has committed. */
  committed: SharedArrayBuffer;
}

export interface CatchUpBatch {
  file: string;
  outputs: PptpdOutput[];
  positions: Array<[string, FilePosition]>;
  state: PptpdAssemblerState;
}

export type CatchUpMessage =
  | ({ kind: 'batch' } & CatchUpBatch)
  | { kind: 'progress'; progress: BackfillProgress }
  | { kind: 'done'; summary: BackfillSummary };

const MAX_AHEAD = 4;

async function catchUp(job: CatchUpJob, port: MessagePort): Promise<void> {
  const positions = new MemoryOffsetStore();
  job.positions.forEach(([key, position]) => positions.save(key, position));
  const saved: Array<[string, FilePosition]> = [];
  let outputs: PptpdOutput[] = [];
  let file = '';
  const reader = new PptpdLogReader((output) => outputs.push(output), job.state, job.timeZone);
  const committed = new Int32Array(job.committed);
  let posted = 0;
  const post = (message: CatchUpMessage) => port.postMessage(message);
  const summary = await backfillSyslog({
    path: job.path,
    source: job.source,
    store: {
      load: (key) => positions.load(key),
      save: (key, position) => {
        positions.save(key, position);
        saved.push([key, position]);
      },
    },
    consume: (batch) => {
      file = batch.file.path;
      reader.consume(batch);
    },
    atomically: (work) => {
      work();
      for (let done = Atomics.load(committed, 0); posted - done >= MAX_AHEAD; done = Atomics.load(committed, 0)) {
        Atomics.wait(committed, 0, done);
      }
      post({ kind: 'batch', file, outputs, positions: saved.splice(0), state: reader.state() });
      outputs = [];
      posted++;
    },
    onProgress: (progress) => post({ kind: 'progress', progress }),
  });
  post({ kind: 'done', summary });
}

if (parentPort !== null) {
  void catchUp(workerData as CatchUpJob, parentPort);
}
