import type { QueryRequest } from '../contract';
import type { Db } from '../store/database';

/** What every query needs besides its own options, in storage units (unix seconds). */
export interface QueryContext {
  db: Db;
  /** The dashboard range, both ends inclusive. */
  fromS: number;
  toS: number;
  /** The panel's interval; 0 when Grafana sent none. */
  intervalS: number;
  maxDataPoints: number;
  /** Data after `now` cannot exist, so series stop there rather than drop to zero. */
  now: number;
}

/** Grafana always sends maxDataPoints from a panel; other callers get about a point per screen pixel. */
const DEFAULT_MAX_DATA_POINTS = 1000;

export function queryContext(db: Db, request: QueryRequest, now: number): QueryContext {
  return {
    db,
    fromS: Math.floor(request.range.from / 1000),
    toS: Math.floor(request.range.to / 1000),
    intervalS: (request.intervalMs ?? 0) / 1000,
    maxDataPoints: request.maxDataPoints ?? DEFAULT_MAX_DATA_POINTS,
    now,
  };
}
