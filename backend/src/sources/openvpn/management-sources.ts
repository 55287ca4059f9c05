import type { Logger } from 'pino';
import { readSecret, type ManagementConfig } from '../../config';
import type { Db } from '../../store/database';
import type { SessionTracker } from '../../tracker/session-tracker';
import type { SourceHealthRegistry } from '../source-health';
import type { ManagementTarget } from './management-connection';
import { LogCursor, sqliteLogPositionStore } from './management-log-cursor';
import { createManagementSource, type ManagementSource } from './management-source';
import { reportedPoolSizes } from './reported-pool';
import { killCommand, type KillOutcome, type SessionKiller, type SessionToKill } from './session-kill';

export interface ManagementSourcesOptions {
  db: Db;
  tracker: SessionTracker;
  health: SourceHealthRegistry;
  log: Logger;
  /** Seconds, as in vpnscope.yaml. */
  pollInterval: number;
  now?: () => number;
}

/**
 * Every configured management interface, by server name; `serve` starts and stops them, and the
 * kill endpoint sends its command through the one of the session's server.
 * Create it before registering servers with the tracker: registering resets each server's pool
 * size to the configured one, and the size a server reported earlier is read here first.
 */
export class ManagementSources implements SessionKiller {
  private readonly sources = new Map<string, ManagementSource>();
  private readonly reportedPools: Map<string, number>;
  private readonly now: () => number;

  constructor(private readonly options: ManagementSourcesOptions) {
    this.reportedPools = reportedPoolSizes(options.db);
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** Throws when the password's file or environment variable cannot be read: a configuration error. */
  add(server: string, config: ManagementConfig): void {
    const { db, tracker, health, log, pollInterval } = this.options;
    this.sources.set(
      server,
      createManagementSource({
        server,
        target: targetOf(config),
        password: readSecret(undefined, config.passwordFile, config.passwordEnv),
        mode: config.mode,
        pollIntervalMs: pollInterval * 1000,
        // twice per status poll: traffic between polls without writing every count every second
        bytecountSeconds: Math.max(1, Math.floor(pollInterval / 2)),
        tracker,
        health,
        log,
        cursor: new LogCursor(sqliteLogPositionStore(db, server, this.now)),
        poolSize: this.reportedPools.get(server),
        now: this.now,
      })
    );
  }

  start(): void {
    this.sources.forEach((source) => source.start());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sources.values()].map((source) => source.stop()));
  }

  async kill(session: SessionToKill, requestedBy: string, ts: number): Promise<KillOutcome> {
    const source = this.sources.get(session.server);
    if (!source) {
      return { kind: 'no-management' };
    }
    const command = killCommand(session);
    const { log, tracker } = this.options;
    try {
      const answer = await source.command(command);
      const reply = `${answer.ok ? 'SUCCESS' : 'ERROR'}: ${answer.text}`;
      if (answer.ok) {
        log.info({ server: session.server, session: session.id, command, requestedBy }, 'session killed');
        tracker.recordEvent(session.server, {
          ts,
          kind: 'session_killed',
          user: session.user,
          realAddress: session.realAddress,
          detail: `${command} by ${requestedBy}: ${reply}`,
        });
      } else {
        log.warn({ server: session.server, session: session.id, command, requestedBy, reply }, 'kill refused');
      }
      return { kind: 'answered', command, ok: answer.ok, reply };
    } catch (error) {
      return { kind: 'unreachable', error: (error as Error).message };
    }
  }
}

function targetOf(config: ManagementConfig): ManagementTarget {
  if (config.socket) {
    return { path: config.socket };
  }
  // the config validator has made sure that a management block without a socket has both
  return { host: config.host as string, port: config.port as number };
}
