import type { Logger } from 'pino';
import type { ManagementReply } from '../../parsers/management-protocol';
import type { SessionTracker } from '../../tracker/session-tracker';
import type { SourceHealthRegistry } from '../source-health';
import type { ManagementTarget } from './management-connection';
import type { LogCursor } from './management-log-cursor';
import { PollingManagementSource } from './management-poll-source';
import { StreamingManagementSource } from './management-stream-source';

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
