import { execFile } from 'node:child_process';

/** Runs a command to completion and returns its stdout; a non-zero exit becomes an error naming the command. */
export function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const output = `${stderr}${stdout}`.trim();
        reject(new Error(`\`${[command, ...args].join(' ')}\` failed (${describeFailure(error)}): ${output}`));
        return;
      }
      resolve(stdout);
    });
  });
}

function describeFailure(error: Error & { code?: unknown; signal?: unknown }): string {
  if (typeof error.code === 'number') {
    return `exit ${error.code}`;
  }
  return String(error.signal ?? error.code ?? error.message);
}
