import type { ParseIssue } from '../../model';
import type { ManagementReply } from '../../parsers/management-protocol';
import { PollLoop } from '../poll-loop';
import { reportTransition } from '../report-transition';
import type { PollOutcome } from '../source-health';
import { describeTarget } from './management-connection';
import { ManagementIntake } from './management-intake';
import { LogCursor } from './management-log-cursor';
import type { ManagementSource, ManagementSourceOptions } from './management-source';

const DEFAULT_TIMEOUT_MS = 10_000;

/** What both modes share: the intake, the poll loop and health reports under kind `management`. */
export abstract class BaseManagementSource implements ManagementSource {
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

const DOWN_REASONS: Record<string, string> = {
  ENOENT: 'the management socket does not exist (is OpenVPN running?)',
  ECONNREFUSED: 'the management interface refused the connection (is OpenVPN running?)',
  EACCES: 'no permission to open the management socket',
  'socket closed': 'the management connection was closed (OpenVPN stopped or restarted?)',
};

export function explainDown(reason: string): string {
  return DOWN_REASONS[reason] ?? reason;
}
