/**
 * Issue 3's benchmark: the management interface's stream at 10,000 clients, through the real
 * protocol framer, the management intake and the tracker into a SQLite file.
 *   1. `>BYTECOUNT_CLI` rounds, one line per client per simulated second, for 30 s, fed as fast as
 *      possible in 64 KiB socket-sized chunks (one counter batch per chunk, as the stream source
 *      does per 'data' event): CPU time per simulated second, as % of one core (target ≤ 10 %).
 *   2. A `status 3` reply listing every client (first poll opens them, later polls continue them):
 *      milliseconds per reply, to compare with the status-file poll of `npm run bench:poll`.
 *   TS_NODE_PROJECT=backend/tsconfig.json npx ts-node --transpile-only bench/management-stream.ts [--clients N] [--seconds S]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateStatusReport } from './generate-status';
import { formatStatus } from '../tests/support/openvpn-status-writer';
import {
  ManagementFramer,
  type ManagementMessage,
  type ManagementNotification,
} from '../backend/src/parsers/management-protocol';
import { ManagementIntake } from '../backend/src/sources/openvpn/management-intake';
import { LogCursor } from '../backend/src/sources/openvpn/management-log-cursor';
import { openDatabase } from '../backend/src/store/database';
import { SessionStore } from '../backend/src/store/session-store';
import { SessionTracker } from '../backend/src/tracker/session-tracker';
import type { StatusReport } from '../backend/src/model';

const CHUNK = 64 * 1024;
const STATUS_POLLS = 10;
const POLL_SECONDS = 10;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function chunks(text: string): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += CHUNK) {
    parts.push(text.slice(start, start + CHUNK));
  }
  return parts;
}

/** Every client's counters after `second` seconds of steady traffic (server view: in = received). */
function grown(report: StatusReport, second: number): StatusReport {
  return {
    ...report,
    updatedAt: (report.updatedAt ?? 0) + second,
    clients: report.clients.map((client, i) => ({
      ...client,
      bytesReceived: client.bytesReceived + second * (1_000 + (i % 5_000)),
      bytesSent: client.bytesSent + second * (4_000 + (i % 9_000)),
    })),
  };
}

function bytecountRound(report: StatusReport): string {
  return report.clients.map((c) => `>BYTECOUNT_CLI:${c.clientId},${c.bytesReceived},${c.bytesSent}\r\n`).join('');
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

const isNotification = (message: ManagementMessage): message is ManagementNotification =>
  message.type !== 'reply' && message.type !== 'issue' && message.type !== 'password-prompt';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
  const clients = argument('--clients', 10_000);
  const seconds = argument('--seconds', 30);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpnscope-bench-mgmt-'));
  const db = openDatabase(path.join(dir, 'vpnscope.db'));
  const tracker = new SessionTracker(new SessionStore(db));
  tracker.registerServer('bench', 'openvpn', { size: 131_066, source: 'bench' });
  const intake = new ManagementIntake({ server: 'bench', tracker, cursor: new LogCursor() });
  const framer = new ManagementFramer();
  const report = generateStatusReport(clients, 42);
  const start = report.updatedAt ?? 0;
  intake.connectionStarted();

  /** Frames a status 3 reply and applies it; returns [wall ms, cpu ms]. */
  const statusPoll = (text: string, ts: number): [number, number] => {
    const parts = chunks(text);
    const cpu = process.cpuUsage();
    const wall = process.hrtime.bigint();
    framer.expectReply(['block']);
    let reply: ManagementMessage | undefined;
    for (const part of parts) {
      reply = framer.push(part).find((message) => message.type === 'reply') ?? reply;
    }
    if (reply?.type !== 'reply') {
      throw new Error('the status reply did not come through the framer');
    }
    intake.status(reply.lines, ts);
    return [Number(process.hrtime.bigint() - wall) / 1e6, cpuMs(cpu)];
  };

  const status3 = (second: number) => formatStatus(grown(report, second), { format: 3, lineEnding: '\r\n' });
  const [firstPollMs] = statusPoll(status3(0), start);

  // 1. the bytecount stream (rounds are generated before the clock starts)
  const rounds = Array.from({ length: seconds }, (_, s) => chunks(bytecountRound(grown(report, s + 1))));
  let lines = 0;
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  rounds.forEach((round, s) => {
    const ts = start + s + 1;
    for (const part of round) {
      for (const message of framer.push(part).filter(isNotification)) {
        intake.notification(message, ts);
        lines += 1;
      }
      intake.flushCounters(ts);
    }
  });
  const streamCpuMs = cpuMs(cpu);
  const streamWallMs = Number(process.hrtime.bigint() - wall) / 1e6;
  const traffic = db.prepare('SELECT COUNT(*) AS n FROM traffic').get() as { n: number };

  // 2. later status polls, each with every counter grown
  const polls: Array<[number, number]> = [];
  for (let poll = 1; poll <= STATUS_POLLS; poll++) {
    const second = seconds + poll * POLL_SECONDS;
    polls.push(statusPoll(status3(second), start + second));
  }
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });

  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
  console.log(
    `clients: ${clients}; simulated seconds: ${seconds}; BYTECOUNT_CLI lines: ${lines}; traffic rows: ${traffic.n}`
  );
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(
    `| bytecount stream: CPU per simulated second | ${(streamCpuMs / seconds).toFixed(1)} ms = ${((streamCpuMs / seconds / 1000) * 100).toFixed(1)} % of one core |`
  );
  console.log(`| bytecount stream: wall time for ${seconds} s | ${streamWallMs.toFixed(0)} ms |`);
  console.log(`| bytecount: µs per line | ${((streamCpuMs * 1000) / lines).toFixed(2)} |`);
  console.log(`| status 3 reply, first (opens ${clients} sessions) | ${firstPollMs.toFixed(1)} ms |`);
  console.log(`| status 3 reply, median of ${STATUS_POLLS} (wall) | ${median(polls.map(([w]) => w)).toFixed(1)} ms |`);
  console.log(`| status 3 reply, median of ${STATUS_POLLS} (CPU) | ${median(polls.map(([, c]) => c)).toFixed(1)} ms |`);
  console.log(`| peak RSS | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB |`);
}

main();
