import fs from 'node:fs/promises';
import type { VpnscopeConfig } from '../config';
import type { PptpdOutput, PptpdSession } from '../parsers/pptpd-records';
import { InterfaceCounters } from '../sources/pptpd/interface-counters';
import { MemoryOffsetStore } from '../sources/pptpd/offset-store';
import { PptpdLogReader } from '../sources/pptpd/pptpd-log-reader';
import { backfillSyslog, type BackfillProgress } from '../sources/pptpd/syslog-backfill';
import { SyslogFollower } from '../sources/pptpd/syslog-follower';
import { formatPptpdTable, PptpdUserTotals, type OnlineSession } from './pptpd-table';
import { backfillProgressBar } from './pptpd-progress';

export const DEFAULT_SYSLOG = '/var/log/syslog';

export interface PptpdCommandOptions {
  log: string;
  /** Read the rotated files too, oldest first. */
  rotate: boolean;
  /** Keep following the log and redraw the table every `delaySeconds`. */
  watch: boolean;
  delaySeconds: number;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  counters?: InterfaceCounters;
}

/** The syslog of the first pptpd server in the configuration, else Debian's. */
export function configuredPptpdLog(config: VpnscopeConfig): string {
  return config.servers.find((server) => server.kind === 'pptpd' && server.syslog)?.syslog ?? DEFAULT_SYSLOG;
}

/**
 * `vpnscope pptpd`: pptpd-monitor's per-user table, computed straight from the logs (no service
 * or database needed) with the same parser as the service. Sessions still open are checked
 * against this machine's interfaces: their counters are the current session's traffic, and one
 * whose interface is gone has ended even if its `Exit.` never reached the log. Returns the exit code.
 */
export async function runPptpdCommand(options: PptpdCommandOptions): Promise<number> {
  try {
    await fs.access(options.log, fs.constants.R_OK);
  } catch (error) {
    options.stderr.write(`vpnscope: cannot read ${options.log}: ${(error as Error).message}\n`);
    return 1;
  }
  const counters = options.counters ?? new InterfaceCounters();
  const logs = new PptpdLogTotals(options.log);
  if (options.rotate) {
    const bar = backfillProgressBar(options.log, options.stderr);
    const summary = await logs.readRotated((progress) => bar.update(progress));
    bar.stop();
    summary.failed.forEach((failure) => options.stderr.write(`vpnscope: skipped ${failure.path}: ${failure.error}\n`));
  }
  await logs.follow();
  const draw = async () => {
    const { online, gone } = await logs.current(counters);
    const table = formatPptpdTable(logs.totals.rows(online, gone), Math.floor(Date.now() / 1000), logs.failedLogins);
    // on a terminal, redraw in place like pptpd-monitor; into a pipe or file, one table after another
    options.stdout.write(options.watch && options.stdout.isTTY ? `\x1b[H\x1b[2J${table}` : table);
  };
  await draw();
  while (options.watch) {
    await new Promise((resolve) => setTimeout(resolve, options.delaySeconds * 1000));
    await logs.follow();
    if (!options.stdout.isTTY) {
      options.stdout.write('\n');
    }
    await draw();
  }
  return 0;
}

/** The log read so far: per-user totals of ended sessions, the assembler's open ones, failed logins. */
class PptpdLogTotals {
  readonly totals = new PptpdUserTotals();
  failedLogins = 0;
  private readonly store = new MemoryOffsetStore();
  private readonly reader = new PptpdLogReader(this.onOutput.bind(this));
  private readonly follower: SyslogFollower;
  private readonly source = 'vpnscope pptpd';

  constructor(private readonly log: string) {
    this.follower = new SyslogFollower({
      path: log,
      source: this.source,
      store: this.store,
      consume: this.reader.consume,
    });
  }

  /** The rotated files and the live one; the follower then goes on where this stopped. */
  readRotated(onProgress: (progress: BackfillProgress) => void) {
    return backfillSyslog({
      path: this.log,
      source: this.source,
      store: this.store,
      consume: this.reader.consume,
      onProgress,
    });
  }

  follow(): Promise<void> {
    return this.follower.poll();
  }

  /** Open sessions: online, or gone (a session of this machine whose interface no longer exists). */
  async current(counters: InterfaceCounters): Promise<{ online: OnlineSession[]; gone: PptpdSession[] }> {
    const here = await counters.available();
    const online: OnlineSession[] = [];
    const gone: PptpdSession[] = [];
    for (const session of this.reader.openSessions()) {
      if (!here || session.interface === undefined || !counters.isLocal(session.host)) {
        online.push({ session, current: null });
        continue;
      }
      const reading = await counters.read(session.interface);
      if (reading.present) {
        online.push({ session, current: reading });
      } else {
        gone.push(session);
      }
    }
    return { online, gone };
  }

  private onOutput(output: PptpdOutput): void {
    if (output.kind === 'closed') {
      this.totals.addEnded(output.session);
    } else if (output.kind === 'auth-failure') {
      this.failedLogins++;
    }
  }
}
