/**
 * Ingest on top of the year: 10,000 live sessions in the four servers' status files, polled every
 * 10 s through StatusFileSource into a copy of the year's database, the rollups brought up to
 * date after each round as the service's upkeep loop does, and retention's hourly pass. CPU time
 * per 10 s round as a share of one core (issue 7's target: ≤ 20 %).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { RetentionConfig } from '../../backend/src/config';
import type { StatusReport } from '../../backend/src/model';
import { StatusFileSource } from '../../backend/src/sources/openvpn/status-file-source';
import { SourceHealthRegistry } from '../../backend/src/sources/source-health';
import { openDatabase } from '../../backend/src/store/database';
import { applyRetention } from '../../backend/src/store/retention';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker } from '../../backend/src/tracker/session-tracker';
import { formatStatus } from '../../tests/support/openvpn-status-writer';
import { generateStatusReport } from '../generate-status';
import { rollUpEverything } from '../history/simulate-year';
import { percentile } from './timing';

const POLL_SECONDS = 10;
const HOUR = 3600;

export interface IngestResult {
  sessions: number;
  servers: number;
  rounds: number;
  /** CPU milliseconds per 10 s round after the first (which opens every session): median and p95. */
  pollMs: { p50: number; p95: number };
  rollUpMs: { p50: number; p95: number };
  roundMs: { p50: number; p95: number; mean: number };
  /** Retention's pass over the year's oldest raw hour, and that cost scaled to 10,000 sessions' rows. */
  retention: { ms: number; rows: number; scaledMsPerHour: number };
  /** (mean round + scaled retention per round) / 10 s. */
  shareOfCore: number;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** The report `round` polls later: every client's counters grown, stamped `ts`. */
function grown(report: StatusReport, round: number, ts: number): StatusReport {
  return {
    ...report,
    updatedAt: ts,
    clients: report.clients.map((client, i) => ({
      ...client,
      bytesReceived: client.bytesReceived + round * (1_000 + (i % 5_000)),
      bytesSent: client.bytesSent + round * (4_000 + (i % 9_000)),
    })),
  };
}

export async function measureIngest(
  yearDb: string,
  nowS: number,
  options: { sessions: number; rounds: number; retention: RetentionConfig }
): Promise<IngestResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpnscope-ingest-'));
  const file = path.join(dir, 'vpnscope.db');
  fs.copyFileSync(yearDb, file);
  const db = openDatabase(file);
  const tracker = new SessionTracker(new SessionStore(db));
  const health = new SourceHealthRegistry();
  const servers = (db.prepare('SELECT name FROM servers ORDER BY name').all() as Array<{ name: string }>).map(
    (row) => row.name
  );
  const perServer = Math.ceil(options.sessions / servers.length);
  let now = nowS;
  const polled = servers.map((server, index) => {
    tracker.registerServer(server, 'openvpn', { size: 4 * perServer, source: 'bench' });
    const statusFile = path.join(dir, `${server}.status`);
    const source = new StatusFileSource({
      server,
      path: statusFile,
      tracker,
      health,
      log: pino({ level: 'silent' }),
      staleAfterSeconds: 3600,
      now: () => now,
    });
    return { source, statusFile, report: generateStatusReport(perServer, 42 + index) };
  });

  const pollMs: number[] = [];
  const rollUpMs: number[] = [];
  for (let round = 0; round <= options.rounds; round++) {
    now += POLL_SECONDS;
    for (const { statusFile, report } of polled) {
      fs.writeFileSync(statusFile, formatStatus(grown(report, round, now), { format: 2 }));
    }
    const pollCpu = process.cpuUsage();
    for (const { source } of polled) {
      await source.poll();
    }
    const polls = cpuMs(pollCpu);
    const rollUpCpu = process.cpuUsage();
    rollUpEverything(db);
    if (round > 0) {
      pollMs.push(polls);
      rollUpMs.push(cpuMs(rollUpCpu));
    }
  }

  // Retention's hourly pass, an hour on: it deletes the year's oldest raw hour (and what goes with it).
  const retentionCpu = process.cpuUsage();
  const { deleted } = applyRetention(db, options.retention, now + HOUR);
  const retentionMs = cpuMs(retentionCpu);
  const rows = Object.values(deleted).reduce((sum, n) => sum + n, 0);
  const yearRawRowsPerHour = deleted.traffic;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });

  // The deleted rows are mostly raw traffic at the year's density; at 10,000 sessions an hour holds
  // sessions × 360 raw rows, so the pass scales with that ratio.
  const scale = yearRawRowsPerHour > 0 ? (options.sessions * (HOUR / POLL_SECONDS)) / yearRawRowsPerHour : 0;
  const scaledMsPerHour = retentionMs * scale;
  const rounds = pollMs.map((ms, i) => ms + rollUpMs[i]);
  const mean = rounds.reduce((sum, ms) => sum + ms, 0) / rounds.length;
  const p = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });
  return {
    sessions: perServer * servers.length,
    servers: servers.length,
    rounds: options.rounds,
    pollMs: p(pollMs),
    rollUpMs: p(rollUpMs),
    roundMs: { ...p(rounds), mean },
    retention: { ms: retentionMs, rows, scaledMsPerHour },
    shareOfCore: (mean + scaledMsPerHour / (HOUR / POLL_SECONDS)) / (POLL_SECONDS * 1000),
  };
}
