import type { ParseIssue } from '../../model';

export interface TallyCounts {
  /** Sessions that ended in the lines read. */
  sessions: number;
  authFailures: number;
  /** Lines that looked like pppd/pptpd but could not be read (torn, cut short). */
  issues: number;
}

/**
 * What a log source has found since it started, and the unreadable lines not yet reported:
 * a poll reports their count to the health registry and logs the first, not each of them.
 */
export class SourceTally {
  readonly counts: TallyCounts = { sessions: 0, authFailures: 0, issues: 0 };
  private reported = 0;
  private first: (ParseIssue & { file: string }) | null = null;

  issue(file: string, issue: ParseIssue): void {
    this.counts.issues++;
    this.first ??= { file, ...issue };
  }

  /** Counts found since `before` (a copy of `counts` taken earlier). */
  since(before: TallyCounts): TallyCounts {
    return {
      sessions: this.counts.sessions - before.sessions,
      authFailures: this.counts.authFailures - before.authFailures,
      issues: this.counts.issues - before.issues,
    };
  }

  /** Issues since the last call, with the first of them. */
  takeIssues(): { count: number; first: (ParseIssue & { file: string }) | null } {
    const taken = { count: this.counts.issues - this.reported, first: this.first };
    this.reported = this.counts.issues;
    this.first = null;
    return taken;
  }
}
