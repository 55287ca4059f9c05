import type { PptpdSession } from '../../parsers/pptpd-records';

export type InterfaceVerdict =
  | { state: 'present' }
  /** Gone at this poll only: pppd may be logging its last lines right now. */
  | { state: 'missing' }
  | { state: 'vanished'; endedAt: number };

/** Polls in a row an interface must be missing, with no line from its pppd, before its session ends. */
const MISSING_POLLS_TO_VANISH = 2;

/**
 * Ends open sessions whose pppd is gone without an `Exit.` in the log (lines lost, a reboot,
 * pppd killed): the kernel has removed their interface. pppd removes the interface just before it
 * logs its counts and `Exit.`, so one poll that misses the interface proves nothing; the rule is:
 * missing at two polls in a row, with no line of the session in between. The session then ended
 * at the last moment it was known alive: its last log line or the last poll that saw its
 * interface, whichever is later.
 */
export class VanishedSessions {
  private readonly missing = new Map<string, { polls: number; lastSeenAt: number }>();
  private readonly presentAt = new Map<string, number>();

  check(session: PptpdSession, present: boolean, ts: number): InterfaceVerdict {
    const { key, lastSeenAt } = session;
    if (present) {
      this.missing.delete(key);
      this.presentAt.set(key, ts);
      return { state: 'present' };
    }
    const seen = this.missing.get(key);
    const polls = seen !== undefined && seen.lastSeenAt === lastSeenAt ? seen.polls + 1 : 1;
    if (polls < MISSING_POLLS_TO_VANISH) {
      this.missing.set(key, { polls, lastSeenAt });
      return { state: 'missing' };
    }
    const endedAt = Math.max(lastSeenAt, this.presentAt.get(key) ?? lastSeenAt);
    this.forget(key);
    return { state: 'vanished', endedAt };
  }

  /** Drops what is remembered of sessions no longer open. */
  keepOnly(openKeys: ReadonlySet<string>): void {
    for (const map of [this.missing, this.presentAt]) {
      for (const key of map.keys()) {
        if (!openKeys.has(key)) {
          map.delete(key);
        }
      }
    }
  }

  private forget(key: string): void {
    this.missing.delete(key);
    this.presentAt.delete(key);
  }
}
