import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from './config';
import { loadConfig, vpnscopeVersion } from './load-config';
import { createLogger } from './log';
import { startService } from './service';
import { collectStatus } from './commands/status-command';
import { killSession } from './commands/kill-command';
import { atOrAbove, formatCsv, formatJson } from './commands/status-format';
import { configuredPptpdLog, runPptpdCommand } from './commands/pptpd-command';
import { importPptpdLogs } from './commands/pptpd-import';

/** Exit codes of `vpnscope status --alert`, for cron and scripts. */
const EXIT_NOTHING_LISTED = 0;
const EXIT_FAILURE = 1;
const EXIT_ALERT = 2;

function percent(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 100) {
    throw new InvalidArgumentError('a whole percentage from 0 to 100');
  }
  return parsed;
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new InvalidArgumentError('a number of seconds above 0');
  }
  return parsed;
}

function sessionId(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('a session id (a whole number from 1)');
  }
  return parsed;
}

const program = new Command()
  .name('vpnscope')
  .description('Monitoring for OpenVPN and PPTP servers')
  .version(vpnscopeVersion())
  .option(
    '-c, --config <file>',
    'vpnscope.yaml to use (default: $VPNSCOPE_CONFIG, ./vpnscope.yaml, /etc/vpnscope/vpnscope.yaml, else discover /etc/openvpn)'
  );

program
  .command('serve')
  .description('poll every source into the database and serve the API')
  .action(async () => {
    const { config, origin, notes } = loadConfig(program.opts().config);
    const log = createLogger(config.logLevel);
    log.info({ origin }, 'configuration loaded');
    notes.forEach((note) => log.info(note));
    const service = await startService(config, log, vpnscopeVersion());
    const shutdown = async (signal: string) => {
      log.info({ signal }, 'stopping');
      await service.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('status')
  .description('pool usage of every OpenVPN server, read from the live status files (like vpn-server-api-status)')
  .option('--json', 'JSON instead of CSV')
  .option('--connections', 'with --json: add port_client_count and connection_list')
  .addOption(
    new Option(
      '--alert [percent]',
      `list only servers at or above PERCENT in use; exit ${EXIT_ALERT} when any is listed`
    )
      .argParser(percent)
      .preset(90)
  )
  .action((options: { json?: boolean; connections?: boolean; alert?: number }) => {
    const { config } = loadConfig(program.opts().config);
    const rows = collectStatus(config);
    rows
      .filter((row) => row.error)
      .forEach((row) => process.stderr.write(`vpnscope: ${row.profile_id}: ${row.error}\n`));
    const listed = options.alert === undefined ? rows : atOrAbove(rows, options.alert);
    if (options.alert !== undefined && listed.length === 0) {
      process.exitCode = rows.some((row) => row.error) ? EXIT_FAILURE : EXIT_NOTHING_LISTED;
      return; // silent, so cron mails nothing
    }
    process.stdout.write(options.json ? formatJson(listed, Boolean(options.connections)) : formatCsv(listed));
    process.exitCode = options.alert !== undefined ? EXIT_ALERT : rows.some((row) => row.error) ? EXIT_FAILURE : 0;
  });

program
  .command('kill')
  .description("end a live OpenVPN session through the running service (needs the config's api.adminToken)")
  .argument('<session-id>', 'the id of the session (the sessions table of the database)', sessionId)
  .action(async (id: number) => {
    const { config } = loadConfig(program.opts().config);
    const result = await killSession(config, id);
    (result.ok ? process.stdout : process.stderr).write(`${result.ok ? '' : 'vpnscope: '}${result.message}\n`);
    process.exitCode = result.ok ? 0 : EXIT_FAILURE;
  });

program
  .command('pptpd')
  .description('per-user PPTP statistics straight from the syslog, like pptpd-monitor (no service needed)')
  .option(
    '--log <file>',
    "the log pppd writes to (default: the pptpd server's syslog in the config, else /var/log/syslog)"
  )
  .option('--rotate', 'include the rotated files (syslog.1, syslog.2.gz, ...)')
  .option('-w, --watch', 'keep following the log and refresh the table')
  .option('-d, --delay <seconds>', 'seconds between refreshes with --watch', seconds, 2)
  .action(async (options: { log?: string; rotate?: boolean; watch?: boolean; delay: number }) => {
    const log = options.log ?? configuredPptpdLog(loadConfig(program.opts().config).config);
    process.exitCode = await runPptpdCommand({
      log,
      rotate: Boolean(options.rotate),
      watch: Boolean(options.watch),
      delaySeconds: options.delay,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  });

program
  .command('import')
  .description("import the pptpd servers' syslog history into the database now (what was imported before is skipped)")
  .option('--server <name>', 'only this server')
  .action(async (options: { server?: string }) => {
    const { config } = loadConfig(program.opts().config);
    process.exitCode = await importPptpdLogs(config, {
      server: options.server,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(
    `vpnscope: ${error instanceof ConfigError ? error.message : String((error as Error).stack ?? error)}\n`
  );
  process.exit(EXIT_FAILURE);
});
