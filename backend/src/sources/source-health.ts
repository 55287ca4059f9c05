import type { SourceHealth, SourceKind } from '../contract';

/** What a source reports after each attempt; the health registry keeps the running tally. */
export type PollOutcome = { ok: true; parseIssues: number } | { ok: false; error: string };

/** A change of a source between up and down, for events and logs (repeated failures are one transition). */
export interface HealthTransition {
  health: SourceHealth;
  becameUp: boolean;
  becameDown: boolean;
}

/**
 * Per-source health: last success, last error, counters. The API, /metrics and the logs read
 * it; sources write it. It holds state already computed, so a scrape never triggers work.
 */
export class SourceHealthRegistry {
  private readonly sources = new Map<string, SourceHealth>();

  register(server: string, kind: SourceKind, target: string): void {
    this.sources.set(keyOf(server, kind), {
      server,
      kind,
      target,
      up: false,
      lastSuccessAt: null,
      lastErrorAt: null,
      lastError: null,
      errorCount: 0,
      parseErrorCount: 0,
      pollCount: 0,
    });
  }

  record(server: string, kind: SourceKind, outcome: PollOutcome, now: number): HealthTransition {
    const health = this.sources.get(keyOf(server, kind));
    if (!health) {
      throw new Error(`source ${kind} of server "${server}" was never registered`);
    }
    const wasUp = health.up;
    const hadRun = health.pollCount > 0;
    health.pollCount += 1;
    if (outcome.ok) {
      health.up = true;
      health.lastSuccessAt = now;
      health.parseErrorCount += outcome.parseIssues;
    } else {
      health.up = false;
      health.lastErrorAt = now;
      health.lastError = outcome.error;
      health.errorCount += 1;
    }
    return {
      health,
      becameUp: health.up && !wasUp,
      becameDown: !health.up && (wasUp || !hadRun),
    };
  }

  all(): SourceHealth[] {
    return [...this.sources.values()].map((health) => ({ ...health }));
  }
}

function keyOf(server: string, kind: SourceKind): string {
  return `${server}\u0000${kind}`;
}
