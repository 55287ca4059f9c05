import net from 'node:net';
import type { ParseIssue } from '../../model';
import {
  ManagementFramer,
  type ManagementMessage,
  type ManagementNotification,
  type ManagementReply,
  type ReplyShape,
} from '../../parsers/management-protocol';

/** A unix socket path (`management /run/x.sock unix`) or a TCP address (`management 127.0.0.1 7505`). */
export type ManagementTarget = { path: string } | { host: string; port: number };

export function describeTarget(target: ManagementTarget): string {
  return 'path' in target ? target.path : `${target.host}:${target.port}`;
}

export interface ConnectionTimeouts {
  /** From connecting to the `>INFO` greeting, password exchange included. */
  greetingMs: number;
  commandMs: number;
}

export interface ConnectionHandlers {
  up(managementVersion: number | null): void;
  notification(message: ManagementNotification): void;
  issue(issue: ParseIssue): void;
  /** Called once, when the connection is over, with the reason in a few words. */
  end(reason: string): void;
}

interface QueuedCommand {
  command: string;
  shape: ReplyShape;
  resolve(reply: ManagementReply): void;
  reject(error: Error): void;
}

const GREETING_VERSION = /Management Interface Version (\d+)/;
const QUIT_GRACE_MS = 2000;

/**
 * One session on the management socket, from connect to close: greeting, password, then one
 * command at a time (OpenVPN's replies say nothing about which command they answer). It never
 * reconnects; ManagementClient does. The password is written to the socket and nowhere else.
 */
export class ManagementConnection {
  private readonly socket: net.Socket;
  private readonly framer = new ManagementFramer();
  private phase: 'greeting' | 'password-sent' | 'up' | 'ended' = 'greeting';
  private readonly queue: QueuedCommand[] = [];
  private inFlight: QueuedCommand | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  private readonly socketClosed: Promise<void>;

  constructor(
    target: ManagementTarget,
    private readonly password: string | undefined,
    private readonly timeouts: ConnectionTimeouts,
    private readonly handlers: ConnectionHandlers
  ) {
    this.socket = net.createConnection(
      'path' in target ? { path: target.path } : { host: target.host, port: target.port }
    );
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => this.receive(chunk));
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.end(error.code ?? error.message));
    this.socketClosed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.on('close', () => this.end('socket closed'));
    this.arm(
      timeouts.greetingMs,
      `no greeting within ${timeouts.greetingMs} ms (is another management client connected?)`
    );
  }

  /** Queues a command; resolves with its reply, rejects when the connection ends first. */
  command(command: string, shape: ReplyShape): Promise<ManagementReply> {
    if (/[\r\n]/.test(command)) {
      return Promise.reject(new Error('a management command must be a single line'));
    }
    if (this.phase !== 'up' || this.closing) {
      return Promise.reject(new Error('the management connection is not up'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ command, shape, resolve, reject });
      this.sendNext();
    });
  }

  /** Lets the command in flight finish, says `quit` so OpenVPN frees the interface, and waits for the close. */
  quit(): Promise<void> {
    if (this.phase === 'ended') {
      return Promise.resolve();
    }
    this.closing = true;
    this.rejectAll(this.queue.splice(0), 'the management client was closed');
    if (this.phase === 'up') {
      this.socket.write('quit\n');
      this.arm(QUIT_GRACE_MS, 'closed');
    } else {
      this.end('closed');
    }
    return this.socketClosed;
  }

  private receive(chunk: string): void {
    for (const message of this.framer.push(chunk)) {
      if (this.phase === 'ended') {
        return;
      }
      this.handle(message);
    }
  }

  private handle(message: ManagementMessage): void {
    switch (message.type) {
      case 'password-prompt':
        this.answerPasswordPrompt();
        return;
      case 'reply':
        this.handleReply(message);
        return;
      case 'issue':
        this.handlers.issue(message.issue);
        return;
      case 'info':
        if (this.phase === 'greeting') {
          this.phase = 'up';
          this.disarm();
          this.handlers.up(managementVersionOf(message.text));
          this.sendNext();
          return;
        }
        this.handlers.notification(message);
        return;
      default:
        this.handlers.notification(message);
    }
  }

  /** OpenVPN 2.6 answers a wrong password by asking again (its `ERROR: bad password` never reaches the client). */
  private answerPasswordPrompt(): void {
    if (this.phase !== 'greeting') {
      this.end('bad password');
    } else if (this.password === undefined) {
      this.end('the management interface asks for a password and none is configured');
    } else if (/[\r\n]/.test(this.password)) {
      this.end('the management password must be a single line');
    } else {
      this.phase = 'password-sent';
      this.framer.expectReply(['line']);
      this.socket.write(`${this.password}\n`);
    }
  }

  private handleReply(reply: ManagementReply): void {
    if (this.phase === 'password-sent') {
      if (reply.ok) {
        this.phase = 'greeting';
      } else {
        this.end('bad password');
      }
      return;
    }
    const command = this.inFlight;
    this.inFlight = null;
    if (!this.closing) {
      this.disarm();
    }
    command?.resolve({ ok: reply.ok, text: reply.text, lines: reply.lines });
    this.sendNext();
  }

  private sendNext(): void {
    if (this.inFlight || this.phase !== 'up') {
      return;
    }
    const next = this.queue.shift();
    if (!next) {
      return;
    }
    this.framer.expectReply(next.shape);
    this.socket.write(`${next.command}\n`);
    if (next.shape.length === 0) {
      next.resolve({ ok: true, text: '', lines: [] });
      this.sendNext();
      return;
    }
    this.inFlight = next;
    // A reply that never comes leaves the stream out of step: end the connection, do not guess.
    const verb = next.command.trim().split(/\s+/)[0];
    this.arm(this.timeouts.commandMs, `command '${verb}' got no reply within ${this.timeouts.commandMs} ms`);
  }

  private end(reason: string): void {
    if (this.phase === 'ended') {
      return;
    }
    this.phase = 'ended';
    this.disarm();
    const pending = this.inFlight ? [this.inFlight, ...this.queue.splice(0)] : this.queue.splice(0);
    this.inFlight = null;
    this.rejectAll(pending, `management connection ended: ${reason}`);
    this.socket.destroy();
    this.handlers.end(this.closing ? 'closed' : reason);
  }

  private rejectAll(commands: QueuedCommand[], message: string): void {
    for (const command of commands) {
      command.reject(new Error(message));
    }
  }

  private arm(ms: number, reason: string): void {
    this.disarm();
    this.timer = setTimeout(() => this.end(reason), ms);
  }

  private disarm(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

/** `OpenVPN Management Interface Version 5 -- type 'help' for more info` → 5. */
function managementVersionOf(greeting: string): number | null {
  const match = GREETING_VERSION.exec(greeting);
  return match ? Number(match[1]) : null;
}
