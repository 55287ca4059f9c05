/**
 * Issue 2's benchmark: one full poll of an OpenVPN status file (read, parse, track, write to
 * SQLite) at N clients. Each N runs in a fresh child process so its peak RSS is its own.
 *   npx ts-node --transpile-only bench/status-poll.ts            # N = 1,000, 10,000, 100,000
 *   npx ts-node --transpile-only bench/status-poll.ts --clients 10000 --polls 30
 * The children run with the V8 flags of `vpnscope serve` (a single --clients run, with this process's).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { generateStatusReport } from './generate-status';
import { formatStatus } from '../tests/support/openvpn-status-writer';
import { openDatabase } from '../backend/src/store/database';
import { SessionStore } from '../backend/src/store/session-store';
import { SessionTracker } from '../backend/src/tracker/session-tracker';
import { SourceHealthRegistry } from '../backend/src/sources/source-health';
import { StatusFileSource } from '../backend/src/sources/openvpn/status-file-source';
import type { StatusReport } from '../backend/src/model';

interface Result {
  clients: number;
  polls: number;
  firstPollMs: number;
  medianMs: number;
  p95Ms: number;
  /** CPU time of this process per poll: what the poll costs, less disturbed by other processes. */
  medianCpuMs: number;
  peakRssMiB: number;
}

const POLL_SECONDS = 10;

/** The V8 flags `vpnscope serve` runs with: those on the #! line of its script. */
function serviceNodeFlags(): string[] {
  const shebang = fs.readFileSync(path.join(__dirname, '../backend/bin/vpnscope.js'), 'utf8').split('\n')[0];
  return shebang.split(/\s+/).filter((word) => word.startsWith('--'));
}

async function measure(clients: number, polls: number): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpnscope-bench-'));
  const statusPath = path.join(dir, 'status.log');
  const report = generateStatusReport(clients, 42);
  const db = openDatabase(path.join(dir, 'vpnscope.db'));
  const tracker = new SessionTracker(new SessionStore(db));
  tracker.registerServer('bench', 'openvpn', { size: 131_066, source: 'bench' });
  let now = report.updatedAt ?? 0;
  const source = new StatusFileSource({
    server: 'bench',
    path: statusPath,
    tracker,
    health: new SourceHealthRegistry(),
    log: pino({ level: 'silent' }),
    staleAfterSeconds: 3600,
    now: () => now,
  });
  // Every poll sees every client's counters grown, as on a busy server. The files are written
  // before the first poll, so the garbage of formatting them is not collected during the polls.
  const pollFiles = Array.from({ length: polls + 1 }, (_, poll) => {
    const file = path.join(dir, `status-${poll}.log`);
    fs.writeFileSync(file, formatStatus(grown(report, poll), { format: 2 }));
    return file;
  });
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let poll = 0; poll <= polls; poll++) {
    fs.renameSync(pollFiles[poll], statusPath);
    now += POLL_SECONDS;
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    await source.poll();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    const cpu = process.cpuUsage(cpuStarted);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const steady = times.slice(1).sort((a, b) => a - b);
  const steadyCpu = cpuTimes.slice(1).sort((a, b) => a - b);
  return {
    clients,
    polls,
    firstPollMs: times[0],
    medianMs: steady[Math.floor(steady.length / 2)],
    p95Ms: steady[Math.min(steady.length - 1, Math.ceil(steady.length * 0.95) - 1)],
    medianCpuMs: steadyCpu[Math.floor(steadyCpu.length / 2)],
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function grown(report: StatusReport, poll: number): StatusReport {
  return {
    ...report,
    updatedAt: (report.updatedAt ?? 0) + poll * POLL_SECONDS,
    clients: report.clients.map((client, i) => ({
      ...client,
      bytesReceived: client.bytesReceived + poll * (1_000 + (i % 5_000)),
      bytesSent: client.bytesSent + poll * (4_000 + (i % 9_000)),
    })),
  };
}

function argument(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : undefined;
}

async function main(): Promise<void> {
  const clients = argument('--clients');
  const polls = argument('--polls') ?? 20;
  if (clients !== undefined) {
    process.stdout.write(JSON.stringify(await measure(clients, polls)) + '\n');
    return;
  }
  const rows: Result[] = [];
  const flags = serviceNodeFlags();
  for (const n of [1_000, 10_000, 100_000]) {
    const output = execFileSync(
      process.execPath,
      [...flags, ...process.execArgv, __filename, '--clients', String(n), '--polls', String(n >= 100_000 ? 10 : polls)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }
    );
    rows.push(JSON.parse(output.trim().split('\n').pop() as string) as Result);
  }
  console.log(`node ${process.version} ${flags.join(' ')}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
  console.log(
    '| clients | polls | first poll (ms) | median poll (ms) | p95 poll (ms) | median CPU per poll (ms) | µs per client (median) | peak RSS (MiB) |'
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const perClient = ((r.medianMs * 1000) / r.clients).toFixed(2);
    console.log(
      `| ${r.clients} | ${r.polls} | ${r.firstPollMs.toFixed(1)} | ${r.medianMs.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ${r.medianCpuMs.toFixed(1)} | ${perClient} | ${r.peakRssMiB.toFixed(0)} |`
    );
  }
}

void main();
