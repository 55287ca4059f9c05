import type { EventKind } from '../contract';

/** One row of the `events` table, as the tracker and sources hand it over. */
export interface VpnEvent {
  ts: number;
  kind: EventKind;
  user?: string | null;
  realAddress?: string | null;
  detail?: string | null;
}
