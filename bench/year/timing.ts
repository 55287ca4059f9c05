import { performance } from 'node:perf_hooks';

export interface Timing {
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
  return { p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) };
}

/** Runs `work` once to warm caches, then `repetitions` times; wall milliseconds of each timed run. */
export async function timeRepeated(repetitions: number, work: () => Promise<unknown>): Promise<number[]> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const began = performance.now();
    await work();
    times.push(performance.now() - began);
  }
  return times;
}

export const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
