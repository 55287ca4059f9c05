import { spawn } from 'node:child_process';

export interface CleanupWatchdog {
  readonly pid: number;
  /** Runs the cleanup now and resolves when it is done. */
  finish(): Promise<void>;
}

/**
 * A detached shell that runs `cleanupScript` as soon as its stdin closes: when finish() closes it,
 * or when the test process dies in any way (crash, SIGKILL, a jest worker torn down), because the
 * kernel then closes the pipe. A process 'exit' handler cannot do this job: jest hands each test
 * file a copy of `process` whose listeners never fire, and nothing runs after a SIGKILL.
 */
export function startCleanupWatchdog(cleanupScript: string): CleanupWatchdog {
  const shell = spawn('sh', ['-c', `read -r _\n${cleanupScript}`], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  if (shell.pid === undefined) {
    throw new Error('Could not start the lab cleanup watchdog (sh)');
  }
  const exited = new Promise<void>((resolve) => shell.once('exit', () => resolve()));
  // the watchdog must never keep the test process alive
  shell.unref();
  (shell.stdin as unknown as { unref(): void }).unref();
  let finishing: Promise<void> | undefined;
  return {
    pid: shell.pid,
    finish: () => {
      finishing ??= (async () => {
        shell.ref();
        shell.stdin.end();
        await exited;
      })();
      return finishing;
    },
  };
}

/** Quotes one word for sh. */
export function shellWord(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
