import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** How long to keep trying; generous by default because CI machines are slow and shared. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Extra detail for the timeout error, computed only when the wait fails (e.g. a log tail). */
  readonly explainTimeout?: () => string;
}

export const DEFAULT_WAIT_MS = 30_000;

/**
 * Polls `probe` until it returns something other than undefined/false and returns that value.
 * A probe that throws ends the wait at once with its error: that is how a probe reports
 * "this can no longer happen" (e.g. the process exited).
 */
export async function waitFor<T>(
  description: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions = {}
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() >= deadline) {
      const detail = options.explainTimeout ? `\n${options.explainTimeout()}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${detail}`);
    }
    await sleep(options.intervalMs ?? 50);
  }
}
