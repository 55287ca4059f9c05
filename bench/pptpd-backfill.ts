/**
 * Issue 6's benchmark: backfill of a generated syslog (bench/generate-syslog.ts) through the real
 * PptpdSource into a real SQLite file, as `vpnscope import` and the service's first start do (from
 * 64 MiB on, parsing in a worker thread; under ts-node that worker first compiles its sources,
 * which the timing includes); and `vpnscope pptpd`'s table from the same file. Each runs in its
 * own child process, which samples its RSS while it reads (flat memory: the peak must not grow
 * with the file). With --original, the Python pptpd-monitor script at that path reads the same
 * file (its own `-f FILE` option) for the ratio.
 *   npx ts-node --transpile-only bench/pptpd-backfill.ts                 # 1024 MiB
 *   npx ts-node --transpile-only bench/pptpd-backfill.ts --mib 256 --original /tmp/pptpd-monitor.py
 * The generated file and database live in a temp dir that is deleted afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { generateSyslog } from './generate-syslog';
import { runPptpdCommand } from '../backend/src/commands/pptpd-command';
import { InterfaceCounters } from '../backend/src/sources/pptpd/interface-counters';
import { PptpdSource } from '../backend/src/sources/pptpd/pptpd-source';
import { SourceHealthRegistry } from '../backend/src/sources/source-health';
import { openDatabase } from '../backend/src/store/database';
import { SessionStore } from '../backend/src/store/session-store';
import { SessionTracker } from '../backend/src/tracker/session-tracker';

// the generator writes UTC timestamps
process.env.TZ = 'UTC';

interface Run {
  seconds: number;
  peakRssMiB: number;
  /** RSS at each tenth of the file read, MiB: flat memory is a flat row. */
  rssByTenth: number[];
  sessions?: number;
}

const MIB = 1024 * 1024;

/** Samples RSS every 50 ms; `at(fraction)` records the current value against progress. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const byTenth: number[] = [];
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    at(fraction: number) {
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      while (byTenth.length < Math.floor(fraction * 10)) {
        byTenth.push(Math.round(rss / MIB));
      }
    },
    stop(): { peakRssMiB: number; rssByTenth: number[] } {
      clearInterval(timer);
      return {
        peakRssMiB: Math.round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / MIB),
        rssByTenth: byTenth,
      };
    },
  };
}

async function backfill(file: string): Promise<Run> {
  const db = openDatabase(path.join(path.dirname(file), 'vpnscope.db'));
  const tracker = new SessionTracker(new SessionStore(db));
  tracker.registerServer('bench', 'pptpd', { size: 100, source: 'bench' });
  const source = new PptpdSource({
    server: 'bench',
    syslog: file,
    db,
    tracker,
    health: new SourceHealthRegistry(),
    log: pino({ level: 'silent' }),
  });
  const rss = rssSampler();
  const started = process.hrtime.bigint();
  const summary = await source.catchUp((p) => rss.at(p.bytesDone / p.bytesTotal));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await source.close();
  const sessions = (db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
  db.close();
  if (summary.sessions !== sessions || summary.failed.length > 0) {
    throw new Error(
      `backfill recorded ${sessions} of ${summary.sessions} sessions, ${summary.failed.length} files failed`
    );
  }
  return { seconds, ...rss.stop(), sessions };
}

async function table(file: string): Promise<Run> {
  const rss = rssSampler();
  const sink = Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { isTTY: false });
  const started = process.hrtime.bigint();
  const sampler = setInterval(() => rss.at(0), 1000);
  await runPptpdCommand({
    log: file,
    rotate: false,
    watch: false,
    delaySeconds: 1,
    stdout: sink as unknown as NodeJS.WriteStream,
    stderr: process.stderr,
    counters: new InterfaceCounters(path.join(path.dirname(file), 'no-sysfs')),
  });
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, ...rss.stop() };
}

/** The original script, timed by GNU time for its peak RSS: `python3 SCRIPT -f FILE`, nothing changed in it. */
function original(script: string, file: string): Run {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', 'python3', script, '-f', file], {
    encoding: 'utf8',
    maxBuffer: 64 * MIB,
    env: { ...process.env, TZ: 'UTC' },
  });
  const measured = /(\d+\.\d+) (\d+)\s*$/.exec(result.stderr);
  if (result.status !== 0 || measured === null) {
    throw new Error(`pptpd-monitor failed (${result.status}): ${result.stderr.slice(-2000)}`);
  }
  return { seconds: Number(measured[1]), peakRssMiB: Math.round(Number(measured[2]) / 1024), rssByTenth: [] };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function child(mode: string, file: string): Promise<void> {
  const run = mode === 'backfill' ? await backfill(file) : await table(file);
  process.stdout.write(JSON.stringify(run) + '\n');
}

function inChild(mode: string, file: string): Run {
  const output = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', mode, file], {
    encoding: 'utf8',
    maxBuffer: MIB,
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output.trim().split('\n').pop() as string) as Run;
}

async function main(): Promise<void> {
  const mode = argument('--child');
  if (mode !== undefined) {
    await child(mode, process.argv[process.argv.indexOf('--child') + 2]);
    return;
  }
  const mib = Number(argument('--mib') ?? 1024);
  const script = argument('--original');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpnscope-pptpd-bench-'));
  try {
    const file = path.join(dir, 'syslog');
    const started = Date.now();
    const generated = generateSyslog(file, mib * MIB);
    const generatedMiB = generated.bytes / MIB;
    console.log(
      `generated ${generatedMiB.toFixed(0)} MiB, ${generated.lines} lines, ${generated.sessions} sessions in ${((Date.now() - started) / 1000).toFixed(0)} s`
    );
    console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
    const rows: Array<[string, Run]> = [
      ['backfill into SQLite (vpnscope import)', inChild('backfill', file)],
      ['per-user table (vpnscope pptpd)', inChild('table', file)],
    ];
    if (script !== undefined) {
      rows.push(['pptpd-monitor (Python, original)', original(script, file)]);
    }
    console.log('| run | seconds | MB/s | peak RSS (MiB) | RSS at each tenth of the file (MiB) |');
    console.log('|---|---:|---:|---:|---|');
    for (const [name, run] of rows) {
      const rate = generated.bytes / 1e6 / run.seconds;
      console.log(
        `| ${name} | ${run.seconds.toFixed(1)} | ${rate.toFixed(0)} | ${run.peakRssMiB} | ${run.rssByTenth.join(' ')} |`
      );
    }
    if (script !== undefined) {
      const python = rows[2][1].seconds;
      console.log(
        `speed-up over pptpd-monitor: backfill ×${(python / rows[0][1].seconds).toFixed(1)}, table ×${(python / rows[1][1].seconds).toFixed(1)}`
      );
    }
    console.log(`sessions recorded: ${rows[0][1].sessions} of ${generated.sessions} generated`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
