import type { ManagementReply } from '../../parsers/management-protocol';
import { BaseManagementSource, explainDown } from './management-source-base';
import { withManagementSession, type SendCommand } from './management-session';

/**
 * Visits the interface once per interval (connect, `log all`, `status 3`, `quit`), so eduVPN,
 * openvpn-monitor or an operator's telnet can use it in between. The log cache it reads each time
 * gives security events, restarts, the pool size and each client's peer info (app and platform,
 * matched to sessions by real address); byte counts come from the status replies only. A server
 * that logs more than its cache holds (`management-log-cache`, 250 lines) between two visits
 * loses its oldest lines to vpnscope: stream mode has no such gap.
 */
export class PollingManagementSource extends BaseManagementSource {
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
