import type { Db } from '../../backend/src/store/database';
import type { VariableChoice } from './dashboard-requests';

const size = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(0)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * Two picks for a `$user` variable: the year's heaviest user by volume, and a light one (the
 * 10th percentile by volume of the users connected in the last week, so every range shows them).
 */
export function pickUsers(db: Db, nowS: number): VariableChoice[] {
  const totals = db
    .prepare(
      `SELECT user, SUM(bytes_in + bytes_out) AS bytes FROM traffic_day
       WHERE user IN (SELECT user FROM sessions WHERE started_at >= ?) GROUP BY user ORDER BY bytes`
    )
    .all(nowS - 7 * 86_400) as Array<{ user: string; bytes: number }>;
  const heavy = db
    .prepare(
      'SELECT user, SUM(bytes_in + bytes_out) AS bytes FROM traffic_day GROUP BY user ORDER BY bytes DESC LIMIT 1'
    )
    .get() as { user: string; bytes: number };
  const light = totals[Math.floor(totals.length / 10)];
  return [
    { value: heavy.user, label: `${heavy.user} (heaviest: ${size(heavy.bytes)} in the year)` },
    { value: light.user, label: `${light.user} (light: ${size(light.bytes)})` },
  ];
}
