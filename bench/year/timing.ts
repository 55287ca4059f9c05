import { performance } from 'node:perf_hooks';

export interface Timing {
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile of unsorted milliseconds. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarize(values: readonly number[]): Timing {
  return { runs: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) };
}

/** A slow query stops repeating after this long, but still gets MIN_RUNS timed runs. */
const BUDGET_MS = 20_000;
const MIN_RUNS = 5;

/**
 * Runs `work` once to warm caches, then `repetitions` times, or fewer (but at least MIN_RUNS)
 * once the runs have taken `budgetMs`; wall milliseconds of each timed run.
 */
export async function timeRepeated(
  repetitions: number,
  work: () => Promise<unknown>,
  budgetMs = BUDGET_MS
): Promise<number[]> {
  await work();
  const times: number[] = [];
  let spent = 0;
  while (times.length < repetitions && (spent < budgetMs || times.length < Math.min(MIN_RUNS, repetitions))) {
    const began = performance.now();
    await work();
    times.push(performance.now() - began);
    spent += times[times.length - 1];
  }
  return times;
}

export const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
