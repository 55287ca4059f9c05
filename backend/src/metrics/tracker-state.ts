import type { SessionTracker } from '../tracker/session-tracker';

/** What /metrics reads of the tracker: in-memory state and its listener, never the database. */
export type TrackerState = Pick<SessionTracker, 'serverStates' | 'liveSessions' | 'addListener'>;

/** The tracker samples one pool per server, its IPv4 address pool (see SessionTracker.applySnapshot). */
export const POOL = 'ipv4';
