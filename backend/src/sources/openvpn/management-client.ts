import { EventEmitter } from 'node:events';
import type { ParseIssue } from '../../model';
import {
  replyShapeOf,
  type ManagementNotification,
  type ManagementReply,
  type ReplyShape,
} from '../../parsers/management-protocol';
import { describeTarget, ManagementConnection, type ManagementTarget } from './management-connection';

export interface ManagementClientOptions {
  target: ManagementTarget;
  /** The first line of OpenVPN's management pwfile. Never logged, never put in an error. */
  password?: string;
  /** Default 10 s. A command without a reply in time ends the connection (the stream is out of step). */
  commandTimeoutMs?: number;
  /** From connect to greeting, password included. Default 10 s. OpenVPN serves one client at a time, so a busy interface accepts the connection and says nothing. */
  greetingTimeoutMs?: number;
  /** Wait before reconnecting: doubles from `initialMs` up to `maxMs` while attempts fail. Default 0.5 s → 30 s. */
  reconnect?: { initialMs: number; maxMs: number };
}

export interface ManagementClientEvents {
  /** The interface greeted us (after the password, if one is asked). Re-issue `bytecount`/`log on` here: a new connection starts clean. */
  up: [info: { managementVersion: number | null }];
  /** The connection ended or an attempt failed: `bad password`, `ECONNREFUSED`, `ENOENT`, `socket closed`, ... Emitted when going down and whenever the reason changes. */
  down: [reason: string];
  notification: [message: ManagementNotification];
  issue: [issue: ParseIssue];
}

/**
 * Keeps one OpenVPN management interface connected: reconnects with capped exponential backoff
 * after a refused connection, a restart of the server, a bad password or a hung command, and
 * reports each change as `up`/`down`. Commands go one at a time over the current connection.
 */
export class ManagementClient extends EventEmitter<ManagementClientEvents> {
  private connection: ManagementConnection | null = null;
  private isUp = false;
  private lastDownReason: string | null = null;
  private failedAttempts = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private state: 'idle' | 'running' | 'closed' = 'idle';

  constructor(private readonly options: ManagementClientOptions) {
    super();
  }

  /** The socket path or host:port, for health reports. */
  get target(): string {
    return describeTarget(this.options.target);
  }

  get up(): boolean {
    return this.isUp;
  }

  start(): void {
    if (this.state === 'idle') {
      this.state = 'running';
      this.connect();
    }
  }

  /** Sends a command; the reply shape defaults to how OpenVPN answers that command (see replyShapeOf). */
  command(command: string, shape: ReplyShape = replyShapeOf(command)): Promise<ManagementReply> {
    if (!this.connection || !this.isUp) {
      const why = this.lastDownReason ? `: ${this.lastDownReason}` : '';
      return Promise.reject(new Error(`management interface ${this.target} is not connected${why}`));
    }
    return this.connection.command(command, shape);
  }

  /** Stops reconnecting and quits the interface cleanly, so the next management client can connect. */
  async close(): Promise<void> {
    this.state = 'closed';
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    const connection = this.connection;
    this.connection = null;
    this.isUp = false;
    await connection?.quit();
  }

  private connect(): void {
    this.retryTimer = null;
    const { target, password, commandTimeoutMs = 10_000, greetingTimeoutMs = 10_000 } = this.options;
    const connection: ManagementConnection = new ManagementConnection(
      target,
      password,
      { greetingMs: greetingTimeoutMs, commandMs: commandTimeoutMs },
      {
        up: (managementVersion) => {
          this.failedAttempts = 0;
          this.isUp = true;
          this.lastDownReason = null;
          this.emit('up', { managementVersion });
        },
        notification: (message) => this.emit('notification', message),
        issue: (issue) => this.emit('issue', issue),
        end: (reason) => this.connectionEnded(connection, reason),
      }
    );
    this.connection = connection;
  }

  private connectionEnded(connection: ManagementConnection, reason: string): void {
    if (this.connection !== connection) {
      return;
    }
    this.connection = null;
    const wasUp = this.isUp;
    this.isUp = false;
    if (wasUp || reason !== this.lastDownReason) {
      this.lastDownReason = reason;
      this.emit('down', reason);
    }
    const { initialMs, maxMs } = this.options.reconnect ?? { initialMs: 500, maxMs: 30_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** this.failedAttempts);
    this.failedAttempts += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
