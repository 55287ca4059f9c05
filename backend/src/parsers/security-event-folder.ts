import type { SecurityEventKind, SecuritySignal } from './management-log';

/** One failed attempt by one client, as the `events` table records it. */
export interface SecurityEvent {
  /** Unix seconds of the attempt's first log line. */
  ts: number;
  kind: SecurityEventKind;
  realAddress: string | null;
  user?: string;
  detail: string;
  /** How many log lines were folded into this event. */
  lines: number;
}

interface OpenAttempt {
  event: SecurityEvent;
  lastTs: number;
}

/**
 * One failed login writes several log lines: a rejected certificate gives VERIFY ERROR, an
 * OpenSSL error, TLS_ERROR, two `TLS Error:` lines; a bad password gives `TLS Auth Error` and
 * AUTH_FAILED sent twice. Counting lines would triple the failure count, so lines from one client
 * address that follow each other within `quietSeconds` become one event: auth_failure wins over
 * tls_error (the rejected credential is why the handshake failed), its first line is the detail,
 * and the first user any line names is kept. Pure: time is the log's own time_t, and
 * `flush(now)` releases attempts that have gone quiet.
 */
export class SecurityEventFolder {
  private readonly open = new Map<string, OpenAttempt>();

  constructor(
    private readonly quietSeconds = 5,
    private readonly maxSeconds = 60
  ) {}

  /** Folds one line in; returns the attempts this line's time has closed. */
  add(ts: number, signal: SecuritySignal): SecurityEvent[] {
    const closed = this.flush(ts);
    const key = signal.peer?.realAddress ?? '';
    const attempt = this.open.get(key);
    if (!attempt) {
      this.open.set(key, {
        lastTs: ts,
        event: {
          ts,
          kind: signal.kind,
          realAddress: signal.peer?.realAddress ?? null,
          ...(signal.user !== undefined ? { user: signal.user } : {}),
          detail: signal.detail,
          lines: 1,
        },
      });
      return closed;
    }
    const { event } = attempt;
    attempt.lastTs = Math.max(attempt.lastTs, ts);
    event.lines += 1;
    if (event.kind === 'tls_error' && signal.kind === 'auth_failure') {
      event.kind = 'auth_failure';
      event.detail = signal.detail;
    }
    if (event.user === undefined && signal.user !== undefined) {
      event.user = signal.user;
    }
    return closed;
  }

  /** The attempts that have been quiet for longer than `quietSeconds` (or open too long) at `now`. */
  flush(now: number): SecurityEvent[] {
    return this.release(
      (attempt) => now - attempt.lastTs > this.quietSeconds || now - attempt.event.ts >= this.maxSeconds
    );
  }

  /** Every open attempt, e.g. when the management connection ends. */
  flushAll(): SecurityEvent[] {
    return this.release(() => true);
  }

  private release(isDone: (attempt: OpenAttempt) => boolean): SecurityEvent[] {
    const done: SecurityEvent[] = [];
    for (const [key, attempt] of this.open) {
      if (isDone(attempt)) {
        done.push(attempt.event);
        this.open.delete(key);
      }
    }
    return done;
  }
}
