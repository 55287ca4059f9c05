import type { Db } from './database';
import type { VpnscopeConfig } from '../config';

const DAY = 86_400;

export interface RetentionResult {
  traffic: number;
  capacity: number;
  events: number;
  sessions: number;
}

/**
 * Deletes rows past their table's retention. Ended sessions go only once their traffic has
 * gone too, so no traffic row ever points at a missing session.
 */
export function applyRetention(db: Db, retention: VpnscopeConfig['retention'], now: number): RetentionResult {
  const before = (days: number) => now - days * DAY;
  return db.transaction(() => {
    const traffic = db.prepare('DELETE FROM traffic WHERE ts < ?').run(before(retention.trafficDays)).changes;
    const capacity = db.prepare('DELETE FROM capacity WHERE ts < ?').run(before(retention.capacityDays)).changes;
    const events = db.prepare('DELETE FROM events WHERE ts < ?').run(before(retention.eventsDays)).changes;
    const sessions = db
      .prepare(
        `DELETE FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?
           AND NOT EXISTS (SELECT 1 FROM traffic WHERE traffic.session_id = sessions.id)`
      )
      .run(before(retention.sessionsDays)).changes;
    return { traffic, capacity, events, sessions };
  })();
}
