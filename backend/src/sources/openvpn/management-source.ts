import type { Logger } from 'pino';
import type { ManagementNotification, ManagementReply } from '../../parsers/management-protocol';
import type { ParseIssue } from '../../model';
import type { SessionTracker } from '../../tracker/session-tracker';
import { PollLoop } from '../poll-loop';
import { reportTransition } from '../report-transition';
import type { PollOutcome, SourceHealthRegistry } from '../source-health';
import { ManagementClient } from './management-client';
import { describeTarget, type ManagementTarget } from './management-connection';
import { ManagementIntake } from './management-intake';
import { LogCursor } from './management-log-cursor';
import { withManagementSession, type SendCommand } from './management-session';

export interface ManagementSourceOptions {
  server: string;
  target: ManagementTarget;
  /** Read from `passwordFile`/`passwordEnv`; never logged, never put in an error or event. */
  password?: string;
  /** `stream`: stay connected; `poll`: connect, read, quit each interval so other tools can use the interface. */
  mode: 'stream' | 'poll';
  pollIntervalMs: number;
  /** Stream mode: seconds between `>BYTECOUNT_CLI` rounds (traffic between status polls); 0 turns them off. */
  bytecountSeconds: number;
  tracker: SessionTracker;
  health: SourceHealthRegistry;
  log: Logger;
  /** Where the server log was read up to; persisted so a restart of vpnscope does not replay it. */
  cursor?: LogCursor;
  /** The pool size this server reported earlier, until its log says it again. */
  poolSize?: number;
  /** Default 10 s each; reconnect backoff of stream mode 0.5 s → 30 s. */
  connection?: {
    commandTimeoutMs?: number;
    greetingTimeoutMs?: number;
    reconnect?: { initialMs: number; maxMs: number };
  };
  now?: () => number;
}

/** One OpenVPN server's management interface as a source of sessions, traffic, apps and events. */
export interface ManagementSource {
  readonly server: string;
  start(): void;
  stop(): Promise<void>;
  /** One command (e.g. `client-kill 7`): over the open connection, or in poll mode a short visit of its own. */
  command(command: string): Promise<ManagementReply>;
}

export function createManagementSource(options: ManagementSourceOptions): ManagementSource {
  return options.mode === 'poll' ? new PollingManagementSource(options) : new StreamingManagementSource(options);
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** What both modes share: the intake, the poll loop and health reports under kind `management`. */
abstract class BaseManagementSource implements ManagementSource {
  protected readonly intake: ManagementIntake;
  protected readonly now: () => number;
  protected readonly target: string;
  private readonly loop: PollLoop;
  /** Lines the protocol framer rejected since the last report. */
  protected framerIssues = 0;

  constructor(protected readonly options: ManagementSourceOptions) {
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.target = describeTarget(options.target);
    this.intake = new ManagementIntake({
      server: options.server,
      tracker: options.tracker,
      cursor: options.cursor ?? new LogCursor(),
      poolSize: options.poolSize,
      onServerRestart: () => this.serverRestarted(),
    });
    options.health.register(options.server, 'management', this.target);
    this.loop = new PollLoop(
      options.pollIntervalMs,
      () => this.tick(),
      (error) => options.log.error({ err: error, server: options.server }, 'a management poll failed unexpectedly')
    );
  }

  get server(): string {
    return this.options.server;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.closeConnection();
    this.intake.finish(this.now());
  }

  abstract command(command: string): Promise<ManagementReply>;
  protected abstract tick(): Promise<void>;
  protected abstract closeConnection(): Promise<void>;

  /** A live log line said the server re-initialised. Poll mode reads no live lines: each visit starts afresh. */
  protected serverRestarted(): void {}

  protected report(outcome: PollOutcome, ts: number): void {
    reportTransition(this.options, 'management', outcome, ts);
  }

  protected reportSuccess(issues: ParseIssue[], ts: number): void {
    const parseIssues = issues.length + this.framerIssues;
    this.framerIssues = 0;
    if (issues.length > 0) {
      this.options.log.warn(
        { server: this.server, target: this.target, issues: issues.length, first: issues[0] },
        'management interface sent lines vpnscope could not read'
      );
    }
    this.report({ ok: true, parseIssues }, ts);
  }

  protected timeouts() {
    const { commandTimeoutMs = DEFAULT_TIMEOUT_MS, greetingTimeoutMs = DEFAULT_TIMEOUT_MS } =
      this.options.connection ?? {};
    return { commandMs: commandTimeoutMs, greetingMs: greetingTimeoutMs };
  }
}

/**
 * Stays connected: `status 3` every interval for sessions and their ends, `>BYTECOUNT_CLI` for
 * traffic between polls, `>CLIENT:ESTABLISHED` for app and platform, and the live server log for
 * security events, restarts and the pool size. A dropped connection marks the source down and is
 * retried with backoff; the first thing a new connection does is a status poll (see ManagementIntake).
 */
class StreamingManagementSource extends BaseManagementSource {
  private readonly client: ManagementClient;
  private polling: Promise<void> | null = null;
  private flush: NodeJS.Immediate | null = null;
  /** Null while the first connection is still being made: that is not an outage. */
  private downReason: string | null = null;

  constructor(options: ManagementSourceOptions) {
    super(options);
    const { commandMs, greetingMs } = this.timeouts();
    this.client = new ManagementClient({
      target: options.target,
      password: options.password,
      commandTimeoutMs: commandMs,
      greetingTimeoutMs: greetingMs,
      reconnect: options.connection?.reconnect,
    });
    this.client.on('up', () => void this.connected());
    this.client.on('down', (reason) => this.disconnected(reason));
    this.client.on('notification', (message) => this.notified(message));
    this.client.on('issue', () => (this.framerIssues += 1));
  }

  override start(): void {
    this.client.start();
    super.start();
  }

  command(command: string): Promise<ManagementReply> {
    return this.client.command(command);
  }

  protected async tick(): Promise<void> {
    const ts = this.now();
    if (this.client.up) {
      await this.pollStatus();
    } else if (this.downReason !== null) {
      this.report({ ok: false, error: this.downReason }, ts);
    }
    this.intake.tick(ts);
  }

  protected async closeConnection(): Promise<void> {
    await this.polling;
    if (this.flush) {
      clearImmediate(this.flush);
    }
    await this.client.close();
  }

  protected override serverRestarted(): void {
    void this.pollStatus();
  }

  private async connected(): Promise<void> {
    this.intake.connectionStarted();
    try {
      await this.pollStatus();
      if (this.options.bytecountSeconds > 0) {
        await this.client.command(`bytecount ${this.options.bytecountSeconds}`);
      }
      this.intake.awaitHistory();
      const history = await this.client.command('log on all');
      this.framerIssues += this.intake.history(history.lines, this.now()).length;
    } catch {
      // the connection ended half-way: its `down` event reports why, and the next one starts over
    }
  }

  private disconnected(reason: string): void {
    const ts = this.now();
    this.intake.connectionEnded(ts);
    this.downReason = explainDown(reason);
    this.report({ ok: false, error: this.downReason }, ts);
  }

  private notified(message: ManagementNotification): void {
    this.intake.notification(message, this.now());
    // One batch per turn of the event loop: a round of 10,000 counts becomes a few transactions, not 10,000.
    if (this.intake.hasPendingCounters && !this.flush) {
      this.flush = setImmediate(() => {
        this.flush = null;
        this.intake.flushCounters(this.now());
      });
    }
  }

  /** One status poll at a time; a restart or reconnect that asks for one while it runs shares it. */
  private pollStatus(): Promise<void> {
    this.polling ??= this.readStatus().finally(() => (this.polling = null));
    return this.polling;
  }

  private async readStatus(): Promise<void> {
    const ts = this.now();
    try {
      const reply = await this.client.command('status 3');
      this.reportSuccess(this.intake.status(reply.lines, ts).issues, ts);
    } catch (error) {
      // a poll cut short by a dropped connection was already reported by `down`
      if (this.client.up) {
        this.report({ ok: false, error: (error as Error).message }, ts);
      }
    }
  }
}

/**
 * Visits the interface once per interval (connect, `log all`, `status 3`, `quit`), so eduVPN,
 * openvpn-monitor or an operator's telnet can use it in between. The log cache it reads each time
 * gives security events, restarts, the pool size and each client's peer info (app and platform,
 * matched to sessions by real address); byte counts come from the status replies only.
 */
class PollingManagementSource extends BaseManagementSource {
  /** Visits one at a time: OpenVPN would keep a second one waiting for its greeting anyway. */
  private visits: Promise<unknown> = Promise.resolve();

  command(command: string): Promise<ManagementReply> {
    return this.visit((send) => send(command));
  }

  protected async tick(): Promise<void> {
    const ts = this.now();
    try {
      const issues = await this.visit(async (send) => {
        this.intake.connectionStarted();
        const history = await send('log all');
        const logIssues = this.intake.history(history.lines, ts);
        const status = await send('status 3');
        return [...logIssues, ...this.intake.status(status.lines, ts).issues];
      });
      this.reportSuccess(issues, ts);
    } catch (error) {
      this.report({ ok: false, error: explainDown((error as Error).message) }, ts);
    }
    this.intake.tick(ts);
  }

  protected async closeConnection(): Promise<void> {
    await this.visits.catch(() => undefined);
  }

  private visit<T>(work: (send: SendCommand) => Promise<T>): Promise<T> {
    const { target, password } = this.options;
    const run = () =>
      withManagementSession(
        {
          target,
          password,
          timeouts: this.timeouts(),
          notification: (message) => this.intake.notification(message, this.now()),
          issue: () => (this.framerIssues += 1),
        },
        work
      );
    const result = this.visits.then(run, run);
    this.visits = result.catch(() => undefined);
    return result;
  }
}

const DOWN_REASONS: Record<string, string> = {
  ENOENT: 'the management socket does not exist (is OpenVPN running?)',
  ECONNREFUSED: 'the management interface refused the connection (is OpenVPN running?)',
  EACCES: 'no permission to open the management socket',
  'socket closed': 'the management connection was closed (OpenVPN stopped or restarted?)',
};

function explainDown(reason: string): string {
  return DOWN_REASONS[reason] ?? reason;
}
