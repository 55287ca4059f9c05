import { Presets, SingleBar } from 'cli-progress';
import type { BackfillProgress } from '../sources/pptpd/syslog-backfill';

const MIB = 1024 * 1024;

/**
 * A progress bar for reading a log and its rotations, on stderr so stdout stays the command's
 * output. cli-progress draws nothing when stderr is not a terminal (cron, pipes, tests).
 */
export function backfillProgressBar(
  label: string,
  stream: NodeJS.WriteStream
): { update(progress: BackfillProgress): void; stop(): void } {
  const bar = new SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {doneMiB}/{totalMiB} MiB | {file}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic
  );
  let started = false;
  const payload = (progress: BackfillProgress) => ({
    file: progress.file,
    doneMiB: (progress.bytesDone / MIB).toFixed(1),
    totalMiB: (progress.bytesTotal / MIB).toFixed(1),
  });
  return {
    update(progress) {
      if (!started) {
        bar.start(progress.bytesTotal, progress.bytesDone, payload(progress));
        started = true;
      } else {
        bar.update(progress.bytesDone, payload(progress));
      }
    },
    stop() {
      if (started) {
        bar.stop();
      }
    },
  };
}
