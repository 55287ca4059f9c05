import fs from 'node:fs/promises';
import type { Logger } from 'pino';
import type { PptpdAssemblerState } from '../../parsers/pppd-session';
import type { PptpdOutput, PptpdSession } from '../../parsers/pptpd-records';
import type { SyslogTimeZone } from '../../parsers/syslog-year';
import type { Db } from '../../store/database';
import type { SessionTracker } from '../../tracker/session-tracker';
import { PollLoop } from '../poll-loop';
import { reportTransition } from '../report-transition';
import type { PollOutcome, SourceHealthRegistry } from '../source-health';
import type { CatchUpBatch } from './catch-up-worker';
import { InterfaceCounters } from './interface-counters';
import { pruneFilePositions } from './offset-pruning';
import { catchUpInWorker, logSize } from './parallel-catch-up';
import { PptpdLogReader } from './pptpd-log-reader';
import { finalBytes, observedPptpdSession } from './pptpd-sessions';
import { OpenSessionCounters } from './open-sessions';
import { SourceStateStore } from './source-state-store';
import { SourceTally, type TallyCounts } from './source-tally';
import { SqliteOffsetStore } from './sqlite-offset-store';
import { backfillSyslog, type BackfillProgress, type BackfillSummary } from './syslog-backfill';
import { SyslogFollower } from './syslog-follower';
import type { LineBatch, LineDelivery } from './syslog-lines';

export interface PptpdSourceOptions {
  server: string;
  /** The syslog file pppd and pptpd write to; rotated siblings are found beside it. */
  syslog: string;
  db: Db;
  tracker: SessionTracker;
  health: SourceHealthRegistry;
  log: Logger;
  /** Where live sessions' byte counters are read (the kernel's /sys/class/net by default). */
  counters?: InterfaceCounters;
  /** The zone classic syslog timestamps are written in: this machine's, unless told otherwise. */
  timeZone?: SyslogTimeZone;
  /** A catch-up of logs this large (all files together) parses in a worker thread while this one writes. */
  parallelCatchUpBytes?: number;
  now?: () => number;
}

const PARALLEL_CATCH_UP_BYTES = 64 * 1024 * 1024;

/** What a backfill found, beyond which files it read. */
export type ImportSummary = BackfillSummary & TallyCounts;

/**
 * A pptpd server's syslog as a vpnscope source. The first poll catches up (rotated files
 * oldest first, then the live one, each from where an earlier run stopped, so a rotation while
 * vpnscope was down loses nothing); every poll then follows the log like `tail -F` and gives the
 * tracker the sessions that ended (`finishSession`, exact end and final bytes), failed logins
 * (`auth_failure` events) and a snapshot of the open sessions with their interfaces' live
 * counters. Lines, offsets and the assembler's state are committed in one transaction per batch.
 */
export class PptpdSource {
  /** The key of this log's positions and state: `pptpd:<server>:<path>`. */
  readonly source: string;
  private readonly now: () => number;
  private readonly offsets: SqliteOffsetStore;
  private readonly states: SourceStateStore<PptpdAssemblerState>;
  private reader: PptpdLogReader;
  private follower: SyslogFollower;
  private readonly openSessions: OpenSessionCounters;
  private caughtUp = false;
  private readonly tally = new SourceTally();
  private batchFile = '';

  constructor(private readonly options: PptpdSourceOptions) {
    this.source = `pptpd:${options.server}:${options.syslog}`;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.openSessions = new OpenSessionCounters(options.counters ?? new InterfaceCounters());
    this.offsets = new SqliteOffsetStore(options.db, this.now);
    this.states = new SourceStateStore(options.db, this.source, this.now);
    this.reader = this.savedReader();
    this.follower = new SyslogFollower({ ...this.delivery(), path: options.syslog, onProblem: this.warn });
    options.health.register(options.server, 'syslog', options.syslog);
  }

  async poll(): Promise<void> {
    const ts = this.now();
    let outcome: PollOutcome;
    try {
      await this.requireReadableLog();
      if (!this.caughtUp) {
        await this.catchUp();
      }
      await this.follower.poll();
      if (this.reader.takeRotated()) {
        await this.prunePositions();
      }
      await this.snapshot(ts);
      outcome = { ok: true, parseIssues: this.takeIssues() };
    } catch (error) {
      await this.recover();
      outcome = { ok: false, error: (error as Error).message };
    }
    reportTransition(this.options, 'syslog', outcome, ts);
  }

  /**
   * Imports what is not imported yet: rotated files oldest first, then the live file up to its
   * last complete line. Runs at the first poll; `vpnscope import` runs it alone.
   */
  async catchUp(onProgress?: (progress: BackfillProgress) => void): Promise<ImportSummary> {
    const before = { ...this.tally.counts };
    const parallelAbove = this.options.parallelCatchUpBytes ?? PARALLEL_CATCH_UP_BYTES;
    const summary =
      (await logSize(this.options.syslog)) >= parallelAbove
        ? await this.catchUpInWorker(onProgress)
        : await backfillSyslog({ ...this.delivery(), path: this.options.syslog, onProgress });
    for (const failure of summary.failed) {
      this.warn(`could not import ${failure.path}: ${failure.error}`);
    }
    await this.prunePositions();
    this.caughtUp = true;
    const found: ImportSummary = { ...summary, ...this.tally.since(before) };
    this.options.log.info(
      { server: this.options.server, ...found, read: found.read.length, skipped: found.skipped.length },
      'syslog caught up'
    );
    return found;
  }

  /** The same catch-up with the reading and parsing in a worker thread (see parallel-catch-up.ts). */
  private async catchUpInWorker(onProgress?: (progress: BackfillProgress) => void): Promise<BackfillSummary> {
    const { db, syslog } = this.options;
    const timeZone = this.options.timeZone ?? 'local';
    const positions = this.offsets.positionsOf(this.source);
    let state: PptpdAssemblerState | null = null;
    const commit = (batch: CatchUpBatch) => {
      db.transaction(() => {
        this.batchFile = batch.file;
        batch.outputs.forEach(this.onOutput);
        batch.positions.forEach(([key, position]) => this.offsets.save(key, position));
        this.states.save(batch.state);
      })();
      state = batch.state;
    };
    const job = { path: syslog, source: this.source, positions, state: this.reader.state(), timeZone };
    const summary = await catchUpInWorker(job, commit, onProgress);
    if (state !== null) {
      this.reader = new PptpdLogReader(this.onOutput, state, timeZone);
    }
    return summary;
  }

  async close(): Promise<void> {
    await this.follower.close();
  }

  private delivery(): LineDelivery {
    const { db } = this.options;
    return {
      source: this.source,
      store: this.offsets,
      consume: this.consume,
      atomically: (work) =>
        db.transaction(() => {
          work();
          this.states.save(this.reader.state());
        })(),
    };
  }

  private readonly consume = (batch: LineBatch): void => {
    this.batchFile = batch.file.path;
    this.reader.consume(batch);
  };

  private readonly onOutput = (output: PptpdOutput): void => {
    const { server, tracker } = this.options;
    switch (output.kind) {
      case 'closed':
        this.finish(output.session, output.session.endedAt ?? output.session.lastSeenAt);
        break;
      case 'auth-failure': {
        const { failure } = output;
        tracker.recordEvent(server, {
          ts: failure.ts,
          kind: 'auth_failure',
          user: failure.user,
          realAddress: failure.callingNumber ?? null,
          detail: failure.detail,
        });
        this.tally.counts.authFailures++;
        break;
      }
      case 'issue':
        this.tally.issue(this.batchFile, output.issue);
        break;
      case 'opened':
      case 'updated':
        break; // the next snapshot lists open sessions as they are then
    }
  };

  /** Ends a session at its exact end, with final bytes no lower than its last live reading. */
  private finish(session: PptpdSession, endedAt: number): void {
    const { server, tracker } = this.options;
    const live = tracker.liveSessions(server).get(session.key);
    const lastReading = live ? { bytesIn: live.bytesIn, bytesOut: live.bytesOut } : null;
    tracker.finishSession(server, {
      session: observedPptpdSession(session, finalBytes(session, lastReading)),
      endedAt,
      endReason: session.endReason ?? 'lost', // what pppd logged, if anything, before it vanished
    });
    this.tally.counts.sessions++;
  }

  /**
   * The open sessions, with the counters of their interfaces where those are this machine's.
   * Sessions whose pppd vanished without `Exit.` are ended first (see vanished-sessions.ts), so
   * the snapshot does not end them at the poll's time instead.
   */
  private async snapshot(ts: number): Promise<void> {
    const { server, tracker, db } = this.options;
    const { listed, vanished } = await this.openSessions.read(
      this.reader.openSessions(),
      tracker.liveSessions(server),
      ts
    );
    if (vanished.length > 0) {
      db.transaction(() => {
        for (const { session, endedAt } of vanished) {
          this.finish(session, endedAt);
          this.reader.dropSession(session.key);
        }
        this.states.save(this.reader.state());
      })();
    }
    tracker.applySnapshot({ server, ts, sessions: listed });
  }

  /** After a failure the database rolled back what the poll wrote: start again from what it kept. */
  private async recover(): Promise<void> {
    const { server, tracker } = this.options;
    await this.follower.close().catch(() => undefined);
    this.reader = this.savedReader();
    this.follower = new SyslogFollower({ ...this.delivery(), path: this.options.syslog, onProblem: this.warn });
    this.openSessions.reset();
    const pool = tracker.serverStates().find((state) => state.name === server)?.pool ?? { size: null, source: null };
    tracker.registerServer(server, 'pptpd', pool);
  }

  private savedReader(): PptpdLogReader {
    return new PptpdLogReader(this.onOutput, this.states.load(), this.options.timeZone);
  }

  private async prunePositions(): Promise<void> {
    const pruned = await pruneFilePositions(this.options.db, this.source, this.options.syslog);
    if (pruned > 0) {
      this.options.log.debug({ server: this.options.server, pruned }, 'forgot positions of deleted log files');
    }
  }

  private async requireReadableLog(): Promise<void> {
    const { syslog } = this.options;
    try {
      await fs.access(syslog, fs.constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new Error(`syslog ${syslog} does not exist (is this where pppd logs? see servers[].syslog)`);
      }
      if (code === 'EACCES') {
        throw new Error(`syslog ${syslog} is not readable by this user (usually root:adm 0640: add it to group adm)`);
      }
      throw error;
    }
  }

  /** Issues since the last poll, logged once with the first of them. */
  private takeIssues(): number {
    const { count, first } = this.tally.takeIssues();
    if (count > 0) {
      const { server } = this.options;
      this.options.log.warn({ server, issues: count, first }, 'syslog has pppd/pptpd lines vpnscope could not read');
    }
    return count;
  }

  private readonly warn = (problem: string): void => {
    this.options.log.warn({ server: this.options.server, syslog: this.options.syslog }, problem);
  };
}

/** A PollLoop that also closes the log it follows when the service stops. */
export class PptpdSourceLoop extends PollLoop {
  constructor(
    private readonly pptpd: PptpdSource,
    intervalMs: number,
    onUnexpectedError: (error: unknown) => void
  ) {
    super(intervalMs, () => pptpd.poll(), onUnexpectedError);
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.pptpd.close();
  }
}
