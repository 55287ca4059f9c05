import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';

import { LabTools } from './preflight';
import { waitFor } from './wait';

export interface ProcessFiles {
  /** Names the process in errors, e.g. `client user1 (tun0)`. */
  readonly label: string;
  readonly namespace: string;
  readonly configPath: string;
  /** Appended to, never truncated: a restarted server keeps its history in one file. */
  readonly logPath: string;
}

export interface LogWaitOptions {
  readonly timeoutMs?: number;
  /** A line matching this ends the wait with an error (e.g. success while waiting for a failure). */
  readonly failOn?: RegExp;
}

const LOG_TAIL_LINES = 25;
const STOP_GRACE_MS = 10_000;

/**
 * One OpenVPN process inside a network namespace, logging to a file. The log is appended to across
 * restarts, so every wait looks only at the lines this run wrote (after `logOffset`).
 */
export class OpenVpnProcess {
  private exit: string | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly files: ProcessFiles,
    readonly logOffset: number
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
        resolve();
      });
      child.once('error', (error) => {
        this.exit ??= `could not be started (${error.message})`;
        resolve();
      });
    });
  }

  static start(tools: LabTools, files: ProcessFiles): OpenVpnProcess {
    const log = openSync(files.logPath, 'a');
    const logOffset = statSync(files.logPath).size;
    try {
      // `ip netns exec` execs OpenVPN in place, so the child's pid is OpenVPN's own
      const child = spawn(tools.ip, ['netns', 'exec', files.namespace, tools.openvpn, '--config', files.configPath], {
        stdio: ['ignore', log, log],
      });
      return new OpenVpnProcess(child, files, logOffset);
    } finally {
      closeSync(log);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.exit === undefined;
  }

  /** Resolves with the first line of this run's log that matches `pattern`. */
  waitForLog(pattern: RegExp, options: LogWaitOptions = {}): Promise<string> {
    return waitFor(
      `${this.files.label} to log ${pattern}`,
      () => {
        const lines = this.linesOfThisRun();
        const failure = options.failOn && lines.find((line) => options.failOn?.test(line));
        if (failure) {
          throw new Error(`${this.files.label} logged "${failure}" while waiting for ${pattern}\n${this.describe()}`);
        }
        const match = lines.find((line) => pattern.test(line));
        if (match !== undefined) {
          return match;
        }
        if (this.exit !== undefined) {
          throw new Error(`${this.files.label} ${this.exit} before logging ${pattern}\n${this.describe()}`);
        }
        return undefined;
      },
      { timeoutMs: options.timeoutMs, explainTimeout: () => this.describe() }
    );
  }

  linesOfThisRun(): string[] {
    return readFileSync(this.files.logPath).subarray(this.logOffset).toString('utf8').split('\n');
  }

  /** Sends `signal` and waits for the exit; a process that ignores SIGTERM is killed after a grace period. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.exit !== undefined) {
      return;
    }
    this.child.kill(signal);
    const grace = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(grace);
    }
  }

  private describe(): string {
    const tail = this.linesOfThisRun().slice(-LOG_TAIL_LINES).join('\n');
    return `--- last lines of ${this.files.logPath} (${this.exit ?? 'still running'}) ---\n${tail}`;
  }
}
