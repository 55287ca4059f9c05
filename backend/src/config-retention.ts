import type { RetentionConfig } from './config';

/**
 * Keys that earlier versions accepted, with what replaced them, so that an old file fails with
 * directions rather than a bare "unknown key". Both were replaced, not renamed: raw rows are now
 * kept for days and rollups for longer, so no single new key means what the old one meant.
 */
const replacedKeys: Readonly<Record<string, string>> = {
  'retention.trafficDays':
    'replaced: raw traffic is kept for "rawDays" (a few days), its per-minute, per-hour and per-day rollups for "minuteDays", "hourDays" and "dayDays"',
  'retention.capacityDays':
    'replaced: pool samples follow traffic, kept for "rawDays" and their rollups for "minuteDays", "hourDays" and "dayDays"',
};

/** What replaced the key at `keyPath` (e.g. `retention.trafficDays`), if it is an old one. */
export const replacedKey = (keyPath: string): string | undefined => replacedKeys[keyPath];

// Each is kept at least as long as the one before: a query over older times falls back to the
// coarser table, and retention trusts a coarser table to still hold what it deletes from a finer one.
const finestFirst = ['rawDays', 'minuteDays', 'hourDays', 'dayDays'] as const;

/** Retention periods that contradict each other, worded with the keys to change. */
export function retentionProblems(retention: RetentionConfig): string[] {
  const problems: string[] = [];
  const atLeast = (key: keyof RetentionConfig, than: keyof RetentionConfig, because: string) => {
    if (retention[key] < retention[than]) {
      problems.push(
        `retention.${key} (${retention[key]}) must be at least retention.${than} (${retention[than]}): ${because}`
      );
    }
  };
  finestFirst.slice(1).forEach((key, index) => {
    atLeast(key, finestFirst[index], 'a coarser rollup is kept at least as long as a finer one');
  });
  atLeast('sessionsDays', 'rawDays', 'raw traffic rows name their session');
  return problems;
}
