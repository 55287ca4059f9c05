import type { ManagementNotification, ManagementReply } from '../../parsers/management-protocol';
import { BaseManagementSource, explainDown } from './management-source-base';
import { ManagementClient } from './management-client';
import type { ManagementSourceOptions } from './management-source';

/**
 * Stays connected: `status 3` every interval for sessions and their ends, `>BYTECOUNT_CLI` for
 * traffic between polls, `>CLIENT:ESTABLISHED` for app and platform, and the live server log for
 * security events, restarts and the pool size. A dropped connection marks the source down and is
 * retried with backoff; the first thing a new connection does is a status poll (see ManagementIntake).
 */
export class StreamingManagementSource extends BaseManagementSource {
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
