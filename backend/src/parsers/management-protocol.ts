import type { ParseIssue } from '../model';
import { parseLogEntry, type LogEntry } from './management-log';

/**
 * The OpenVPN management protocol, without IO: text chunks in (split anywhere, even inside
 * `\r\n`), typed messages out. Replies carry no header saying which command they answer, so the
 * caller announces each command's reply shape with `expectReply` when it sends the command; the
 * framer answers expectations in order and passes `>` notifications through whenever they come,
 * even in the middle of a reply. Bad input costs a counted issue, never a throw.
 */

/** The server asks for the management password with no line ending, then waits. */
export const PASSWORD_PROMPT = 'ENTER PASSWORD:';

/** One part of a reply: a single `SUCCESS:`/`ERROR:` line, or lines up to `END`. */
export type ReplyPart = 'line' | 'block';
export type ReplyShape = readonly ReplyPart[];

export interface ManagementReply {
  /** False when any part of the reply was an `ERROR:` line. */
  ok: boolean;
  /** The first `ERROR:` text, else the last `SUCCESS:` text, without the prefix; '' for a plain block. */
  text: string;
  /** The block part's lines, without `END`. */
  lines: string[];
}

export interface ServerState {
  time: number;
  /** `CONNECTED`, `RECONNECTING`, `EXITING`, ... */
  state: string;
  description: string;
}

export type ManagementNotification =
  | { type: 'info'; text: string }
  | ({ type: 'log' } & LogEntry)
  | ({ type: 'state' } & ServerState)
  | { type: 'bytecount'; bytesIn: number; bytesOut: number }
  /** Cumulative bytes of one client, the server's view: in = received from the client. */
  | { type: 'bytecount-client'; clientId: number; bytesIn: number; bytesOut: number }
  | { type: 'client-established'; clientId: number; env: Record<string, string> }
  | { type: 'client-disconnect'; clientId: number; env: Record<string, string> }
  /** Any other `>NAME:text` (HOLD, NOTIFY, FATAL, other CLIENT events, ...). */
  | { type: 'notification'; name: string; text: string };

export type ManagementMessage =
  | { type: 'password-prompt' }
  | ({ type: 'reply' } & ManagementReply)
  | ManagementNotification
  | { type: 'issue'; issue: ParseIssue };

const HISTORY_COMMANDS = new Set(['log', 'state', 'echo']);

/**
 * The reply shape of a command as OpenVPN 2.4–2.7 answers it. `log on all` is a SUCCESS line
 * then the history block; `version N` (telling the server our version) gets no reply before 2.7.
 */
export function replyShapeOf(command: string): ReplyShape {
  const [verb, ...args] = command.trim().split(/\s+/);
  if (verb === 'quit' || verb === 'exit' || (verb === 'version' && args.length > 0)) {
    return [];
  }
  if (verb === 'status' || verb === 'version' || verb === 'help') {
    return ['block'];
  }
  if (HISTORY_COMMANDS.has(verb)) {
    return args.length === 0 ? ['block'] : args.map((arg) => (arg === 'on' || arg === 'off' ? 'line' : 'block'));
  }
  return ['line'];
}

/** `time,STATE,description,...` as in `>STATE:` and the `state` command's reply. */
export function parseStateLine(text: string): ServerState | null {
  const [time, state, description = ''] = text.split(',');
  if (!/^\d+$/.test(time) || !/^[A-Z_]+$/.test(state ?? '')) {
    return null;
  }
  return { time: Number(time), state, description };
}

interface PendingReply extends ManagementReply {
  parts: ReplyShape;
  index: number;
  inBlock: boolean;
}

interface PendingClientEvent {
  head: string;
  event: string;
  clientId: string;
  env: Map<string, string>;
}

const STATUS_LINE = /^(SUCCESS|ERROR):\s?(.*)$/;
const NOTIFICATION = /^>([A-Z][A-Z0-9_-]*):(.*)$/;
const COUNTER = /^\d{1,15}$/;
const DEFAULT_MAX_LINE_LENGTH = 1 << 20;

const clip = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);

export class ManagementFramer {
  private buffer = '';
  /** Inside a line longer than the limit: drop text until its end. */
  private overlong = false;
  private lineNumber = 0;
  private readonly replies: PendingReply[] = [];
  private clientEvent: PendingClientEvent | null = null;
  private out: ManagementMessage[] = [];

  constructor(private readonly maxLineLength = DEFAULT_MAX_LINE_LENGTH) {}

  /** Announces the reply to a command just sent; replies are matched to announcements in order. */
  expectReply(shape: ReplyShape): void {
    if (shape.length > 0) {
      this.replies.push({ parts: shape, index: 0, inBlock: false, ok: true, text: '', lines: [] });
    }
  }

  push(chunk: string): ManagementMessage[] {
    this.buffer += chunk;
    let start = 0;
    for (;;) {
      if (!this.overlong && this.buffer.startsWith(PASSWORD_PROMPT, start)) {
        start += PASSWORD_PROMPT.length;
        this.out.push({ type: 'password-prompt' });
        continue;
      }
      const end = this.buffer.indexOf('\n', start);
      if (end < 0) {
        break;
      }
      const raw = this.buffer.slice(start, end);
      start = end + 1;
      this.lineNumber += 1;
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (this.overlong || line.length > this.maxLineLength) {
        this.overlong = false;
        this.issue(`line longer than ${this.maxLineLength} characters dropped`);
      } else {
        this.handleLine(line);
      }
    }
    this.buffer = this.buffer.slice(start);
    // The check allows one more character for a `\r` whose `\n` has not arrived yet.
    if (this.buffer.length > this.maxLineLength + 1 && !PASSWORD_PROMPT.startsWith(this.buffer)) {
      this.overlong = true;
      this.buffer = '';
    }
    const messages = this.out;
    this.out = [];
    return messages;
  }

  private handleLine(line: string): void {
    if (line.startsWith('>')) {
      this.handleNotification(line);
    } else {
      this.handleReplyLine(line);
    }
  }

  private handleReplyLine(line: string): void {
    const reply = this.replies[0];
    const status = STATUS_LINE.exec(line);
    if (!reply) {
      this.issue(status ? `reply ${clip(line)} came while no command was waiting` : `unexpected line ${clip(line)}`);
      return;
    }
    if (reply.inBlock) {
      if (line === 'END') {
        this.finishPart(reply);
      } else {
        reply.lines.push(line);
      }
      return;
    }
    if (status && (reply.parts[reply.index] === 'line' || status[1] === 'ERROR')) {
      const ok = status[1] === 'SUCCESS';
      if (reply.ok) {
        reply.text = status[2];
      }
      reply.ok = reply.ok && ok;
      this.finishPart(reply);
    } else if (reply.parts[reply.index] === 'line') {
      this.issue(`expected SUCCESS or ERROR, got ${clip(line)}`);
    } else if (line === 'END') {
      this.finishPart(reply);
    } else {
      reply.inBlock = true;
      reply.lines.push(line);
    }
  }

  private finishPart(reply: PendingReply): void {
    reply.inBlock = false;
    reply.index += 1;
    if (reply.index === reply.parts.length) {
      this.replies.shift();
      this.out.push({ type: 'reply', ok: reply.ok, text: reply.text, lines: reply.lines });
    }
  }

  private handleNotification(line: string): void {
    const match = NOTIFICATION.exec(line);
    if (!match) {
      this.issue(`malformed notification ${clip(line)}`);
      return;
    }
    const [, name, text] = match;
    switch (name) {
      case 'CLIENT':
        this.handleClientLine(text);
        return;
      case 'INFO':
        this.out.push({ type: 'info', text });
        return;
      case 'LOG':
        this.emitParsed(line, parseLogEntry(text), (entry) => ({ type: 'log', ...entry }));
        return;
      case 'STATE':
        this.emitParsed(line, parseStateLine(text), (state) => ({ type: 'state', ...state }));
        return;
      case 'BYTECOUNT':
        this.emitParsed(line, counters(text, 2), ([bytesIn, bytesOut]) => ({ type: 'bytecount', bytesIn, bytesOut }));
        return;
      case 'BYTECOUNT_CLI':
        this.emitParsed(line, counters(text, 3), ([clientId, bytesIn, bytesOut]) => ({
          type: 'bytecount-client',
          clientId,
          bytesIn,
          bytesOut,
        }));
        return;
      default:
        this.out.push({ type: 'notification', name, text });
    }
  }

  private emitParsed<T>(line: string, value: T | null, toMessage: (value: T) => ManagementNotification): void {
    if (value === null) {
      this.issue(`malformed notification ${clip(line)}`);
    } else {
      this.out.push(toMessage(value));
    }
  }

  /** `>CLIENT:EVENT,cid[,...]` opens an ENV block that `>CLIENT:ENV,END` closes; ADDRESS has none. */
  private handleClientLine(text: string): void {
    const [event, ...args] = text.split(',');
    if (event === 'ADDRESS') {
      this.out.push({ type: 'notification', name: 'CLIENT', text });
      return;
    }
    if (event !== 'ENV') {
      if (this.clientEvent) {
        this.issue(`>CLIENT:${this.clientEvent.head} ended without ENV,END`);
      }
      this.clientEvent = { head: text, event, clientId: args[0] ?? '', env: new Map() };
      return;
    }
    const pending = this.clientEvent;
    const variable = args.join(',');
    const eq = variable.indexOf('=');
    if (!pending) {
      this.issue(`>CLIENT:ENV outside a client notification`);
    } else if (variable === 'END') {
      this.clientEvent = null;
      this.finishClientEvent(pending);
    } else if (eq > 0) {
      pending.env.set(variable.slice(0, eq), variable.slice(eq + 1));
    } else {
      this.issue(`malformed ENV line ${clip(variable)}`);
    }
  }

  private finishClientEvent({ head, event, clientId, env }: PendingClientEvent): void {
    if (event !== 'ESTABLISHED' && event !== 'DISCONNECT') {
      this.out.push({ type: 'notification', name: 'CLIENT', text: head });
    } else if (!COUNTER.test(clientId)) {
      this.issue(`>CLIENT:${head} has no numeric client id`);
    } else {
      const type = event === 'ESTABLISHED' ? 'client-established' : 'client-disconnect';
      this.out.push({ type, clientId: Number(clientId), env: Object.fromEntries(env) });
    }
  }

  private issue(message: string): void {
    this.out.push({ type: 'issue', issue: { line: this.lineNumber, message } });
  }
}

/** Exactly `count` comma-separated unsigned integers. */
function counters(text: string, count: number): number[] | null {
  const fields = text.split(',');
  return fields.length === count && fields.every((field) => COUNTER.test(field)) ? fields.map(Number) : null;
}
