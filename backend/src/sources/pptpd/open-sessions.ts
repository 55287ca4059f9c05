import type { ObservedSession } from '../../model';
import type { PptpdSession } from '../../parsers/pptpd-records';
import type { InterfaceCounters } from './interface-counters';
import { observedPptpdSession, type ByteCounts } from './pptpd-sessions';
import { VanishedSessions } from './vanished-sessions';

export interface OpenSessionsNow {
  /** For the tracker's snapshot: with their interfaces' counters where this machine has them. */
  listed: ObservedSession[];
  /** Gone without `Exit.` (see vanished-sessions.ts): to end before the snapshot, which would end them now. */
  vanished: Array<{ session: PptpdSession; endedAt: number }>;
}

/**
 * What the log's open sessions look like at a poll. A session on another host, or on a machine
 * whose interfaces cannot be read, keeps its last counts. A local one whose interface is missing
 * stays listed (with its last counts) while the tracker has it live and the rule has not decided;
 * one never seen live is not listed: it is not running now.
 */
export class OpenSessionCounters {
  private vanished = new VanishedSessions();

  constructor(private readonly counters: InterfaceCounters) {}

  async read(
    open: readonly PptpdSession[],
    live: ReadonlyMap<string, ByteCounts>,
    ts: number
  ): Promise<OpenSessionsNow> {
    const countersHere = await this.counters.available();
    const now: OpenSessionsNow = { listed: [], vanished: [] };
    for (const session of open) {
      const known = live.get(session.key);
      const lastBytes: ByteCounts = known ?? { bytesIn: 0, bytesOut: 0 };
      if (!countersHere || session.interface === undefined || !this.counters.isLocal(session.host)) {
        now.listed.push(observedPptpdSession(session, lastBytes));
        continue;
      }
      const reading = await this.counters.read(session.interface);
      const verdict = this.vanished.check(session, reading.present, ts);
      if (reading.present) {
        now.listed.push(observedPptpdSession(session, reading));
      } else if (verdict.state === 'vanished') {
        now.vanished.push({ session, endedAt: verdict.endedAt });
      } else if (known) {
        now.listed.push(observedPptpdSession(session, lastBytes));
      }
    }
    this.vanished.keepOnly(new Set(open.map((session) => session.key)));
    return now;
  }

  /** Forgets missed polls, after a failed poll whose sessions will be read again. */
  reset(): void {
    this.vanished = new VanishedSessions();
  }
}
