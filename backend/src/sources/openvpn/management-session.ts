import type { ParseIssue } from '../../model';
import { replyShapeOf, type ManagementNotification, type ManagementReply } from '../../parsers/management-protocol';
import { ManagementConnection, type ConnectionTimeouts, type ManagementTarget } from './management-connection';

export interface SessionOptions {
  target: ManagementTarget;
  /** Never logged, never put in an error. */
  password?: string;
  timeouts: ConnectionTimeouts;
  notification?(message: ManagementNotification): void;
  issue?(issue: ParseIssue): void;
}

export type SendCommand = (command: string) => Promise<ManagementReply>;

/**
 * One short visit to the management interface: connect, greet (password included), run `work`,
 * and say `quit`, so OpenVPN, which serves one management client at a time, is free for other
 * tools again. Rejects with the reason in a few words (`ECONNREFUSED`, `bad password`, ...).
 */
export function withManagementSession<T>(options: SessionOptions, work: (send: SendCommand) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let greeted = false;
    const connection: ManagementConnection = new ManagementConnection(
      options.target,
      options.password,
      options.timeouts,
      {
        up: () => {
          greeted = true;
          work((command) => connection.command(command, replyShapeOf(command))).then(
            (value) => connection.quit().then(() => resolve(value)),
            (error: unknown) => connection.quit().then(() => reject(error))
          );
        },
        notification: (message) => options.notification?.(message),
        issue: (issue) => options.issue?.(issue),
        end: (reason) => {
          if (!greeted) {
            reject(new Error(reason));
          }
        },
      }
    );
  });
}
