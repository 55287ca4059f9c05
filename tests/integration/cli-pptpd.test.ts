import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { runCli } from '../support/run-cli';
import { fixtureLines } from '../support/pptpd-source-lab';
import { makeTempDir } from '../support/temp-dir';

jest.setTimeout(60_000);

const repo = path.resolve(__dirname, '../..');

let temp: ReturnType<typeof makeTempDir>;
let syslog: string;
beforeEach(() => {
  temp = makeTempDir('vpnscope-cli-pptpd-');
  syslog = path.join(temp.dir, 'syslog');
});
afterEach(() => temp.cleanup());

/** The line of one user in the table, split on spaces (so a date and time are two cells). */
function rowOf(table: string, user: string): string[] {
  const line = table.split('\n').find((l) => l.slice(2).startsWith(`${user} `));
  if (line === undefined) {
    throw new Error(`no row for ${user} in\n${table}`);
  }
  return line.trim().split(/ +/);
}

function rotatedLogs(): void {
  fs.writeFileSync(`${syslog}.2.gz`, zlib.gzipSync(fixtureLines('rotation-oldest.log')));
  fs.writeFileSync(`${syslog}.1`, fixtureLines('rotation-before.log'));
  fs.writeFileSync(syslog, fixtureLines('rotation-after.log'));
  const mtimes: Array<[string, string]> = [
    [`${syslog}.2.gz`, '2026-11-20T00:00:00Z'],
    [`${syslog}.1`, '2026-11-21T00:00:00Z'],
    [syslog, '2026-11-21T00:15:00Z'],
  ];
  mtimes.forEach(([file, iso]) => fs.utimesSync(file, new Date(iso), new Date(iso)));
}

describe('vpnscope pptpd', () => {
  it('prints the per-user table from the log: totals, last addresses, who is online and for how long', async () => {
    fs.writeFileSync(syslog, fixtureLines('logins.log'));
    fs.utimesSync(syslog, new Date('2026-11-21T17:00:00Z'), new Date('2026-11-21T17:00:00Z'));
    const result = await runCli(['pptpd', '--log', syslog]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'PPTPD Client Statistics',
      '',
      'Username              #      TX      RX         Remote IP          Local IP   Int     CTX     CRX  Duration/Last seen',
    ]);
    expect(rowOf(result.stdout, 'alice')).toEqual([
      'alice',
      '0/1',
      '46.0MB',
      '5.3MB',
      '(198.18.7.21)',
      '(198.19.0.10)',
      '-',
      '0.0b',
      '0.0b',
      '2026-11-21',
      '15:49:02',
    ]);
    const dave = rowOf(result.stdout, 'dave');
    expect(dave.slice(0, 9)).toEqual([
      '*',
      'dave',
      '1/1',
      '0.0b',
      '0.0b',
      '198.18.3.150',
      '198.19.0.11',
      'ppp1',
      '0.0b',
    ]);
    expect(dave.slice(10).join(' ')).toMatch(/^(\d+ days?, )?\d+:\d\d:\d\d$/);
    expect(lines.filter((line) => /^[* ] \S/.test(line)).map((line) => line.slice(2).split(' ')[0])).toEqual([
      'CORP\\frank',
      'alice',
      'bob',
      'dave',
      'erin',
    ]);
    expect(result.stdout.endsWith('\nFailed logins: 2\n')).toBe(true);
  });

  it('reads the rotated files too with --rotate, gzipped ones included', async () => {
    rotatedLogs();
    const live = await runCli(['pptpd', '--log', syslog]);
    expect(live.stdout).not.toMatch(/olga|paul/); // the live file has only the end of olga's session
    const all = await runCli(['pptpd', '--log', syslog, '--rotate']);
    expect(all.code).toBe(0);
    expect(rowOf(all.stdout, 'paul').slice(1, 6)).toEqual([
      '0/1',
      '2.9MB',
      '390.6KB',
      '(198.18.20.1)',
      '(198.19.0.10)',
    ]);
    expect(rowOf(all.stdout, 'olga').slice(1, 6)).toEqual([
      '0/1',
      '5.2MB',
      '595.7KB',
      '(198.18.20.2)',
      '(198.19.0.11)',
    ]);
  });

  it('reads the syslog of the pptpd server in the configuration when no --log is given', async () => {
    fs.writeFileSync(syslog, fixtureLines('pid-reuse.log'));
    const config = path.join(temp.dir, 'vpnscope.yaml');
    fs.writeFileSync(config, 'servers:\n  - name: pptp\n    kind: pptpd\n    syslog: syslog\n');
    const result = await runCli(['--config', config, 'pptpd']);
    expect(result.code).toBe(0);
    expect(['gina', 'hank', 'ivan'].map((user) => rowOf(result.stdout, user)[1])).toEqual(['0/1', '0/1', '0/1']);
  });

  it('says which file it cannot read and exits 1', async () => {
    const result = await runCli(['pptpd', '--log', path.join(temp.dir, 'missing')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^vpnscope: cannot read .*missing: ENOENT/);
  });

  it('with --watch, follows the log and prints the table again with what was appended', async () => {
    fs.writeFileSync(syslog, fixtureLines('pid-reuse.log', 0, 17)); // gina's session
    const watcher = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        path.join(repo, 'backend/src/cli.ts'),
        'pptpd',
        '--log',
        syslog,
        '--watch',
        '--delay',
        '0.2',
      ],
      {
        cwd: repo,
        env: { ...process.env, TS_NODE_PROJECT: path.join(repo, 'backend/tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    );
    let stdout = '';
    watcher.stdout.on('data', (chunk) => (stdout += chunk));
    const tables = () => stdout.split('PPTPD Client Statistics\n').slice(1);
    try {
      await until(() => tables().length >= 1);
      expect(tables()[0]).toMatch(/\n {2}gina /);
      expect(tables()[0]).not.toMatch(/hank/);
      fs.appendFileSync(syslog, fixtureLines('pid-reuse.log', 17, 27)); // hank connects
      await until(() => tables().some((table) => /\n\* hank /.test(table)));
      const last = tables().find((table) => /\n\* hank /.test(table)) as string;
      expect(rowOf(last, 'hank').slice(0, 4)).toEqual(['*', 'hank', '1/1', '0.0b']);
    } finally {
      watcher.kill();
    }
  });
});

describe('vpnscope import', () => {
  let config: string;
  const database = () => path.join(temp.dir, 'vpnscope.db');
  beforeEach(() => {
    rotatedLogs();
    config = path.join(temp.dir, 'vpnscope.yaml');
    fs.writeFileSync(
      config,
      ['database: vpnscope.db', 'servers:', '  - name: pptp', '    kind: pptpd', '    syslog: syslog', ''].join('\n')
    );
  });

  const counts = () => {
    const db = new Database(database(), { readonly: true });
    try {
      return db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM sessions) AS sessions, (SELECT COUNT(*) FROM events) AS events,
                  (SELECT SUM(bytes_out) FROM traffic) AS bytesOut`
        )
        .get();
    } finally {
      db.close();
    }
  };

  it('imports the history of every pptpd server, oldest file first, and nothing twice', async () => {
    const first = await runCli(['--config', config, 'import']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('pptp: 3 files read, 0 already imported; 32 lines: 2 sessions, 0 failed logins\n');
    expect(counts()).toEqual({ sessions: 2, events: 4, bytesOut: 3_000_000 + 5_500_000 });

    const second = await runCli(['--config', config, 'import', '--server', 'pptp']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('pptp: 0 files read, 3 already imported; 0 lines: 0 sessions, 0 failed logins\n');
    expect(counts()).toEqual({ sessions: 2, events: 4, bytesOut: 8_500_000 });
  });

  it('refuses an unknown server', async () => {
    const result = await runCli(['--config', config, 'import', '--server', 'nope']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe('vpnscope: no pptpd server named "nope" in the configuration\n');
  });

  it('leaves the import to a running service, which would read the same lines', async () => {
    await runCli(['--config', config, 'import']);
    const db = new Database(database());
    db.prepare('UPDATE servers SET last_poll_at = ? WHERE name = ?').run(Math.floor(Date.now() / 1000), 'pptp');
    db.close();
    const result = await runCli(['--config', config, 'import']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^vpnscope: pptp: vpnscope serve polled this server \d+ s ago/);
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('gave up waiting');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
