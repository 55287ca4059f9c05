import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { openDatabase, type Db } from '../../backend/src/store/database';
import { SessionStore } from '../../backend/src/store/session-store';
import { SessionTracker, type PoolSize } from '../../backend/src/tracker/session-tracker';
import { SourceHealthRegistry } from '../../backend/src/sources/source-health';
import { InterfaceCounters } from '../../backend/src/sources/pptpd/interface-counters';
import { PptpdSource } from '../../backend/src/sources/pptpd/pptpd-source';
import { readPptpdFixture } from './pptpd-replay';
import { makeTempDir } from './temp-dir';
import { SESSIONS_WITH_COUNTERS } from './session-rows';

export const SERVER = 'pptp';
/** The machine the lab's vpnscope runs on by default: lines from host vpn1 are local, vpn2's another server's. */
export const LOCAL_HOST = 'vpn1';

export interface SessionRow {
  identity: string;
  user: string;
  realAddress: string;
  virtualIpv4: string | null;
  startedAt: number;
  endedAt: number | null;
  bytesIn: number;
  bytesOut: number;
  endReason: string | null;
}

export interface EventRow {
  ts: number;
  kind: string;
  user: string | null;
  realAddress: string | null;
  detail: string | null;
}

/**
 * A pptpd server's world on real files: a syslog (and its rotations) in a temp dir, a fake
 * /sys/class/net with statistics files, and a real SQLite file behind a real tracker. restart()
 * is a vpnscope restart: a new process's database handle, tracker and source, the same files.
 */
export class PptpdLab {
  readonly dir: string;
  readonly syslog: string;
  readonly sysfs: string;
  readonly dbPath: string;
  clock = Date.parse('2026-11-21T17:00:00Z') / 1000;
  db!: Db;
  tracker!: SessionTracker;
  health!: SourceHealthRegistry;
  source!: PptpdSource;
  private readonly cleanup: () => void;

  private readonly pool: PoolSize;
  private readonly localHost: string;
  private readonly parallelCatchUpBytes: number | undefined;

  constructor(options: { pool?: PoolSize; localHost?: string; parallelCatchUpBytes?: number } = {}) {
    this.pool = options.pool ?? { size: 10, source: 'test' };
    this.localHost = options.localHost ?? LOCAL_HOST;
    this.parallelCatchUpBytes = options.parallelCatchUpBytes;
    const temp = makeTempDir('vpnscope-pptpd-');
    this.dir = temp.dir;
    this.cleanup = temp.cleanup;
    this.syslog = path.join(this.dir, 'syslog');
    this.sysfs = path.join(this.dir, 'sys-class-net');
    this.dbPath = path.join(this.dir, 'vpnscope.db');
    fs.mkdirSync(this.sysfs);
    this.start();
  }

  async restart(): Promise<void> {
    await this.source.close();
    this.db.close();
    this.start();
  }

  async close(): Promise<void> {
    await this.source.close();
    this.db.close();
    this.cleanup();
  }

  poll(atIso?: string): Promise<void> {
    if (atIso !== undefined) {
      this.clock = Date.parse(atIso) / 1000;
    }
    return this.source.poll();
  }

  /** Writes a file of the log (the live one by default) and dates it: classic timestamps take their year from it. */
  write(text: string, mtimeIso = '2026-11-21T17:00:00Z', file = this.syslog): void {
    fs.writeFileSync(file, text);
    fs.utimesSync(file, new Date(mtimeIso), new Date(mtimeIso));
  }

  append(text: string, file = this.syslog): void {
    fs.appendFileSync(file, text);
  }

  /** Makes the store fail (as on a full disk) when the source records its second finished session. */
  failSecondFinishedSession(message: string): void {
    const finish = this.tracker.finishSession.bind(this.tracker);
    let calls = 0;
    this.tracker.finishSession = (server, finished) => {
      if (++calls === 2) {
        throw new Error(message);
      }
      finish(server, finished);
    };
  }

  setInterface(name: string, bytesIn: number, bytesOut: number): void {
    const statistics = path.join(this.sysfs, name, 'statistics');
    fs.mkdirSync(statistics, { recursive: true });
    fs.writeFileSync(path.join(statistics, 'rx_bytes'), `${bytesIn}\n`);
    fs.writeFileSync(path.join(statistics, 'tx_bytes'), `${bytesOut}\n`);
  }

  removeInterface(name: string): void {
    fs.rmSync(path.join(this.sysfs, name), { recursive: true, force: true });
  }

  sessions(): SessionRow[] {
    return this.db
      .prepare(
        `SELECT identity, user, real_address AS realAddress, virtual_ipv4 AS virtualIpv4, started_at AS startedAt,
                ended_at AS endedAt, bytes_in AS bytesIn, bytes_out AS bytesOut, end_reason AS endReason
         FROM ${SESSIONS_WITH_COUNTERS} ORDER BY started_at, identity`
      )
      .all() as SessionRow[];
  }

  session(user: string): SessionRow {
    const found = this.sessions().filter((row) => row.user === user);
    if (found.length !== 1) {
      throw new Error(`${found.length} sessions of ${user}`);
    }
    return found[0];
  }

  events(kinds = ['connect', 'disconnect', 'auth_failure']): EventRow[] {
    return (
      this.db
        .prepare('SELECT ts, kind, user, real_address AS realAddress, detail FROM events ORDER BY ts, id')
        .all() as EventRow[]
    ).filter((event) => kinds.includes(event.kind));
  }

  /** Traffic rows summed per session identity. */
  traffic(): Record<string, { bytesIn: number; bytesOut: number }> {
    const rows = this.db
      .prepare(
        `SELECT s.identity, SUM(t.bytes_in) AS bytesIn, SUM(t.bytes_out) AS bytesOut
         FROM traffic t JOIN sessions s ON s.id = t.session_id GROUP BY s.identity`
      )
      .all() as Array<{ identity: string; bytesIn: number; bytesOut: number }>;
    return Object.fromEntries(rows.map(({ identity, ...bytes }) => [identity, bytes]));
  }

  private start(): void {
    this.db = openDatabase(this.dbPath);
    this.tracker = new SessionTracker(new SessionStore(this.db));
    this.tracker.registerServer(SERVER, 'pptpd', this.pool);
    this.health = new SourceHealthRegistry();
    this.source = new PptpdSource({
      server: SERVER,
      syslog: this.syslog,
      db: this.db,
      tracker: this.tracker,
      health: this.health,
      log: pino({ level: 'silent' }),
      counters: new InterfaceCounters(this.sysfs, this.localHost),
      parallelCatchUpBytes: this.parallelCatchUpBytes,
      now: () => this.clock,
    });
  }
}

/** A fixture's lines, whole or a slice of them ([from, to) like Array.slice), as file text. */
export function fixtureLines(name: string, from = 0, to?: number): string {
  const lines = readPptpdFixture(name).split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines
    .slice(from, to)
    .map((line) => `${line}\n`)
    .join('');
}

export const utcSeconds = (iso: string): number => Date.parse(iso) / 1000;
