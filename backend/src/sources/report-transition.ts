import type { Logger } from 'pino';
import type { SourceKind } from '../contract';
import type { SessionTracker } from '../tracker/session-tracker';
import type { PollOutcome, SourceHealthRegistry } from './source-health';

interface SourceContext {
  server: string;
  tracker: SessionTracker;
  health: SourceHealthRegistry;
  log: Logger;
}

/**
 * Records a poll's outcome in the health registry; a change between up and down becomes one
 * log line and one event (not one per failed poll), so an outage is visible without flooding.
 */
export function reportTransition(context: SourceContext, kind: SourceKind, outcome: PollOutcome, ts: number): void {
  const { server, tracker, health, log } = context;
  const transition = health.record(server, kind, outcome, ts);
  if (transition.becameDown && !outcome.ok) {
    log.warn({ server, source: kind, error: outcome.error }, 'source is down');
    tracker.recordEvent(server, { ts, kind: 'source_down', detail: `${kind}: ${outcome.error}` });
  } else if (transition.becameUp) {
    log.info({ server, source: kind, target: transition.health.target }, 'source is up');
    tracker.recordEvent(server, { ts, kind: 'source_up', detail: kind });
  }
}
