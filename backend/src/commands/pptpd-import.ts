import fs from 'node:fs';
import pino from 'pino';
import type { ServerConfig, VpnscopeConfig } from '../config';
import { openDatabase, type Db } from '../store/database';
import { SessionStore } from '../store/session-store';
import { SessionTracker } from '../tracker/session-tracker';
import { SourceHealthRegistry } from '../sources/source-health';
import { pptpdPoolSize } from '../sources/pptpd/pptpd-pool';
import { PptpdSource, type ImportSummary } from '../sources/pptpd/pptpd-source';
import { backfillProgressBar } from './pptpd-progress';

export interface ImportOptions {
  /** Only this server; every pptpd server when absent. */
  server?: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  now?: () => number;
}

/** A poll this recent means `vpnscope serve` is running; it imports on its own, and two readers would double-count. */
const SERVICE_RUNNING_POLLS = 3;

/**
 * `vpnscope import`: reads every pptpd server's syslog history into the database now, with a
 * progress bar, exactly as the service does when it starts (rotated files oldest first, each
 * from where an earlier run stopped: a second import adds nothing). Returns the exit code.
 */
export async function importPptpdLogs(config: VpnscopeConfig, options: ImportOptions): Promise<number> {
  const servers = config.servers.filter(
    (server) =>
      server.kind === 'pptpd' && server.syslog && (options.server === undefined || server.name === options.server)
  );
  if (servers.length === 0) {
    options.stderr.write(
      options.server === undefined
        ? 'vpnscope: no pptpd server in the configuration (servers[] with kind: pptpd and syslog)\n'
        : `vpnscope: no pptpd server named "${options.server}" in the configuration\n`
    );
    return 1;
  }
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const db = openDatabase(config.database);
  let failed = false;
  try {
    const tracker = new SessionTracker(new SessionStore(db));
    for (const server of servers) {
      const problem = cannotImport(db, server, now(), config.pollInterval);
      if (problem !== null) {
        options.stderr.write(`vpnscope: ${server.name}: ${problem}\n`);
        failed = true;
        continue;
      }
      const summary = await importServer(db, tracker, server, options);
      options.stdout.write(describe(server.name, summary));
      summary.failed.forEach(({ path, error }) =>
        options.stderr.write(`vpnscope: could not import ${path}: ${error}\n`)
      );
      failed ||= summary.failed.length > 0;
    }
  } finally {
    db.close();
  }
  return failed ? 1 : 0;
}

async function importServer(
  db: Db,
  tracker: SessionTracker,
  server: ServerConfig,
  options: ImportOptions
): Promise<ImportSummary> {
  tracker.registerServer(server.name, 'pptpd', pptpdPoolSize(server));
  const source = new PptpdSource({
    server: server.name,
    syslog: server.syslog as string,
    db,
    tracker,
    health: new SourceHealthRegistry(),
    log: pino({ level: 'silent' }), // what matters is in the summary; JSON logs would garble the bar
    now: options.now,
  });
  const bar = backfillProgressBar(server.name, options.stderr);
  try {
    return await source.catchUp((progress) => bar.update(progress));
  } finally {
    bar.stop();
    await source.close();
  }
}

function cannotImport(db: Db, server: ServerConfig, now: number, pollInterval: number): string | null {
  if (!fs.existsSync(server.syslog as string)) {
    return `syslog ${server.syslog} does not exist`;
  }
  const row = db.prepare('SELECT last_poll_at AS lastPollAt FROM servers WHERE name = ?').get(server.name) as
    { lastPollAt: number | null } | undefined;
  const since = row?.lastPollAt == null ? null : now - row.lastPollAt;
  if (since !== null && since >= 0 && since < SERVICE_RUNNING_POLLS * pollInterval) {
    return `vpnscope serve polled this server ${since} s ago and imports its log itself; stop it first to import by hand`;
  }
  return null;
}

function describe(server: string, summary: ImportSummary): string {
  const files = `${summary.read.length} file${summary.read.length === 1 ? '' : 's'} read, ${summary.skipped.length} already imported`;
  const found = `${summary.sessions} sessions, ${summary.authFailures} failed logins`;
  const unreadable = summary.issues > 0 ? `, ${summary.issues} unreadable pppd/pptpd lines` : '';
  return `${server}: ${files}; ${summary.lines} lines: ${found}${unreadable}\n`;
}
