import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { openDatabase } from '../../backend/src/store/database';
import { PppdSessionAssembler } from '../../backend/src/parsers/pppd-session';
import type { PptpdOutput } from '../../backend/src/parsers/pptpd-records';
import { SyslogYearInferrer } from '../../backend/src/parsers/syslog-year';
import { MemoryOffsetStore, type OffsetStore } from '../../backend/src/sources/pptpd/offset-store';
import { SqliteOffsetStore } from '../../backend/src/sources/pptpd/sqlite-offset-store';
import {
  backfillSyslog,
  rotatedSiblings,
  type BackfillProgress,
} from '../../backend/src/sources/pptpd/syslog-backfill';
import { SyslogFollower } from '../../backend/src/sources/pptpd/syslog-follower';
import type { LineBatch } from '../../backend/src/sources/pptpd/syslog-lines';
import { readPptpdFixture, summarise, utc } from '../support/pptpd-replay';
import { makeTempDir } from '../support/temp-dir';

const SOURCE = 'pptpd:vpn1:/var/log/syslog';

let dir: string;
let cleanup: () => void;
let log: string;
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir('vpnscope-syslog-'));
  log = path.join(dir, 'syslog');
});
afterEach(() => cleanup());

/** Collects delivered lines; the lines of the Nth batch make it throw first, like a crash mid-write. */
class Recorder {
  readonly lines: string[] = [];
  readonly batches: LineBatch[] = [];
  failOnBatch = -1;
  private seen = 0;
  readonly consume = (batch: LineBatch) => {
    if (this.seen++ === this.failOnBatch) {
      throw new Error('crash while writing');
    }
    this.batches.push(batch);
    this.lines.push(...batch.lines);
  };
}

const numbered = (prefix: string, count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => `Nov 21 10:00:00 vpn1 test[1]: ${prefix} line ${from + i}`);
const write = (file: string, lines: string[], partial = '') =>
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join('') + partial);
const append = (file: string, lines: string[], partial = '') =>
  fs.appendFileSync(file, lines.map((l) => `${l}\n`).join('') + partial);

function follower(recorder: Recorder, store: OffsetStore, chunkBytes?: number): SyslogFollower {
  return new SyslogFollower({ path: log, source: SOURCE, store, consume: recorder.consume, chunkBytes });
}

describe('SyslogFollower', () => {
  it('delivers complete lines only and holds a partial last line until its newline arrives', async () => {
    const recorder = new Recorder();
    const tail = follower(recorder, new MemoryOffsetStore());
    write(log, ['Nov 21 10:00:00 vpn1 pppd[1]: Exit.'], 'Nov 21 10:00:01 vpn1 pppd[2]: Modem ha');
    await tail.poll();
    expect(recorder.lines).toEqual(['Nov 21 10:00:00 vpn1 pppd[1]: Exit.']);
    await tail.poll();
    expect(recorder.lines).toHaveLength(1);
    append(log, [], 'ngup\n');
    await tail.poll();
    expect(recorder.lines).toEqual([
      'Nov 21 10:00:00 vpn1 pppd[1]: Exit.',
      'Nov 21 10:00:01 vpn1 pppd[2]: Modem hangup',
    ]);
    await tail.close();
  });

  it('numbers lines from the start of the file and tells the file it read them from', async () => {
    const recorder = new Recorder();
    write(log, numbered('a', 5));
    const tail = follower(recorder, new MemoryOffsetStore(), 100);
    await tail.poll();
    expect(recorder.batches.length).toBeGreaterThan(1);
    expect(recorder.batches.map((b) => b.firstLine)).toEqual(
      recorder.batches.map((_, i) => 1 + recorder.batches.slice(0, i).reduce((n, b) => n + b.lines.length, 0))
    );
    expect(recorder.batches[0].file).toEqual({
      path: log,
      inode: fs.statSync(log).ino,
      mtime: Math.floor(fs.statSync(log).mtimeMs / 1000),
    });
    await tail.close();
  });

  it('after a crash in the middle of a file resumes at the right place: nothing lost, nothing doubled', async () => {
    const store = new MemoryOffsetStore();
    const recorder = new Recorder();
    write(log, numbered('a', 40));
    recorder.failOnBatch = 3;
    const first = follower(recorder, store, 256);
    await expect(first.poll()).rejects.toThrow('crash while writing');
    await first.close();
    expect(recorder.lines.length).toBeGreaterThan(0);
    expect(recorder.lines.length).toBeLessThan(40);

    append(log, numbered('a', 5, 41));
    const second = follower(recorder, store, 256);
    await second.poll();
    expect(recorder.lines).toEqual(numbered('a', 45));
    await second.close();
  });

  it('after a clean restart reads only what was appended meanwhile', async () => {
    const store = new MemoryOffsetStore();
    const recorder = new Recorder();
    write(log, numbered('a', 3));
    const first = follower(recorder, store);
    await first.poll();
    await first.close();
    append(log, numbered('a', 2, 4));
    const second = follower(recorder, store);
    await second.poll();
    expect(recorder.lines).toEqual(numbered('a', 5));
    await second.close();
  });

  it('follows rename + create: finishes the old file, including lines written after the rename, then reads the new one', async () => {
    const recorder = new Recorder();
    const tail = follower(recorder, new MemoryOffsetStore());
    write(log, numbered('old', 3));
    await tail.poll();
    fs.renameSync(log, `${log}.1`);
    write(log, []); // logrotate `create`: empty until syslog reopens
    append(`${log}.1`, numbered('old', 2, 4)); // syslog still writes to the renamed file
    await tail.poll();
    expect(recorder.lines).toEqual(numbered('old', 5));
    append(`${log}.1`, numbered('old', 1, 6));
    append(log, numbered('new', 2)); // syslog reopened
    await tail.poll();
    expect(recorder.lines).toEqual([...numbered('old', 6), ...numbered('new', 2)]);
    append(log, numbered('new', 1, 3));
    await tail.poll();
    expect(recorder.lines).toEqual([...numbered('old', 6), ...numbered('new', 3)]);
    await tail.close();
  });

  it('delivers the unterminated last line of a file that rotated away', async () => {
    const recorder = new Recorder();
    const tail = follower(recorder, new MemoryOffsetStore());
    write(log, numbered('old', 1), 'Nov 21 10:00:00 vpn1 pppd[4512]: Sent 1882211 bytes, recei');
    await tail.poll();
    fs.renameSync(log, `${log}.1`);
    write(log, numbered('new', 1));
    await tail.poll();
    expect(recorder.lines).toEqual([
      ...numbered('old', 1),
      'Nov 21 10:00:00 vpn1 pppd[4512]: Sent 1882211 bytes, recei',
      ...numbered('new', 1),
    ]);
    await tail.close();
  });

  it('follows copytruncate: reads the lines it had not reached from the copy, then the emptied file from 0', async () => {
    const recorder = new Recorder();
    const tail = follower(recorder, new MemoryOffsetStore());
    write(log, numbered('old', 3));
    await tail.poll();
    append(log, numbered('old', 2, 4));
    fs.copyFileSync(log, `${log}.1`);
    fs.truncateSync(log, 0);
    append(log, numbered('new', 1));
    await tail.poll();
    expect(recorder.lines).toEqual([...numbered('old', 5), ...numbered('new', 1)]);
    await tail.close();
  });

  it('notices copytruncate even when the file grew past the old offset before the next poll', async () => {
    const recorder = new Recorder();
    const tail = follower(recorder, new MemoryOffsetStore());
    write(log, numbered('old', 2));
    await tail.poll();
    fs.copyFileSync(log, `${log}.1`);
    fs.truncateSync(log, 0);
    append(log, numbered('new', 10));
    await tail.poll();
    expect(recorder.lines).toEqual([...numbered('old', 2), ...numbered('new', 10)]);
    await tail.close();
  });

  it('after a restart notices a copytruncate that happened while it was down, and finishes the gzipped copy', async () => {
    const store = new MemoryOffsetStore();
    const recorder = new Recorder();
    write(log, numbered('old', 3));
    const first = follower(recorder, store);
    await first.poll();
    await first.close();
    append(log, numbered('old', 2, 4));
    fs.writeFileSync(`${log}.1.gz`, zlib.gzipSync(fs.readFileSync(log)));
    write(log, numbered('new', 4));
    const second = follower(recorder, store);
    await second.poll();
    expect(recorder.lines).toEqual([...numbered('old', 5), ...numbered('new', 4)]);
    await second.close();
  });

  it('keeps positions in SQLite, saved in the same transaction as what the lines produced', async () => {
    const db = openDatabase(':memory:');
    const store = new SqliteOffsetStore(db, () => 1_800_000_000);
    const recorder = new Recorder();
    write(log, numbered('a', 4));
    const options = {
      path: log,
      source: SOURCE,
      store,
      consume: recorder.consume,
      atomically: (work: () => void) => db.transaction(work)(),
    };
    const tail = new SyslogFollower(options);
    await tail.poll();
    await tail.close();
    const row = db
      .prepare('SELECT inode, offset, updated_at AS updatedAt FROM source_offsets WHERE source = ?')
      .get(SOURCE);
    expect(row).toEqual({ inode: fs.statSync(log).ino, offset: fs.statSync(log).size, updatedAt: 1_800_000_000 });
    append(log, numbered('a', 1, 5));
    const again = new SyslogFollower(options);
    await again.poll();
    expect(recorder.lines).toEqual(numbered('a', 5));
    await again.close();
    db.close();
  });
});

describe('backfillSyslog', () => {
  /** syslog.3.gz, syslog.2.gz, syslog.1 and syslog, with mtimes a day apart like daily rotation. */
  function rotatedLogs(): void {
    write(`${log}.3`, numbered('three', 3));
    fs.writeFileSync(`${log}.3.gz`, zlib.gzipSync(fs.readFileSync(`${log}.3`)));
    fs.rmSync(`${log}.3`);
    fs.writeFileSync(`${log}.2.gz`, zlib.gzipSync(readPptpdFixture('rotation-oldest.log')));
    fs.writeFileSync(`${log}.1`, readPptpdFixture('rotation-before.log'));
    fs.writeFileSync(log, readPptpdFixture('rotation-after.log'));
    const day = (iso: string) => new Date(iso);
    fs.utimesSync(`${log}.3.gz`, day('2026-11-19T00:00:00Z'), day('2026-11-19T00:00:00Z'));
    fs.utimesSync(`${log}.2.gz`, day('2026-11-20T00:00:00Z'), day('2026-11-20T00:00:00Z'));
    fs.utimesSync(`${log}.1`, day('2026-11-21T00:00:00Z'), day('2026-11-21T00:00:00Z'));
    fs.utimesSync(log, day('2026-11-21T00:15:00Z'), day('2026-11-21T00:15:00Z'));
  }

  it('reads rotated files oldest first, gunzipping, and reports progress up to the total', async () => {
    rotatedLogs();
    const recorder = new Recorder();
    const progress: BackfillProgress[] = [];
    const summary = await backfillSyslog({
      path: log,
      source: SOURCE,
      store: new MemoryOffsetStore(),
      consume: recorder.consume,
      onProgress: (p) => progress.push(p),
    });
    const expected = [
      ...numbered('three', 3),
      ...['rotation-oldest.log', 'rotation-before.log', 'rotation-after.log'].flatMap((f) =>
        readPptpdFixture(f).trimEnd().split('\n')
      ),
    ];
    expect(recorder.lines).toEqual(expected);
    expect(summary).toEqual({
      read: [`${log}.3.gz`, `${log}.2.gz`, `${log}.1`, log],
      skipped: [],
      failed: [],
      lines: expected.length,
    });
    const total = ['.3.gz', '.2.gz', '.1', ''].reduce((sum, suffix) => sum + fs.statSync(log + suffix).size, 0);
    expect(progress.every((p) => p.bytesTotal === total)).toBe(true);
    expect(progress.map((p) => p.bytesDone)).toEqual([...progress.map((p) => p.bytesDone)].sort((a, b) => a - b));
    expect(progress[progress.length - 1].bytesDone).toBe(total);
  });

  it('imports nothing twice: a second run reads nothing, and the follower goes on at the end', async () => {
    rotatedLogs();
    const store = new MemoryOffsetStore();
    const recorder = new Recorder();
    await backfillSyslog({ path: log, source: SOURCE, store, consume: recorder.consume });
    const count = recorder.lines.length;
    const again = await backfillSyslog({ path: log, source: SOURCE, store, consume: recorder.consume });
    expect(again).toMatchObject({ read: [], lines: 0 });
    expect(again.skipped).toHaveLength(4);
    expect(recorder.lines).toHaveLength(count);

    append(log, ['Nov 21 00:20:00 vpn1 CRON[1]: (root) CMD (true)']);
    const tail = follower(recorder, store);
    await tail.poll();
    expect(recorder.lines.slice(count)).toEqual(['Nov 21 00:20:00 vpn1 CRON[1]: (root) CMD (true)']);
    await tail.close();
  });

  it('after a rotation while vpnscope was down, reads the rest of the renamed file and the new one, once', async () => {
    const store = new MemoryOffsetStore();
    const recorder = new Recorder();
    write(log, numbered('old', 3));
    const tail = follower(recorder, store);
    await tail.poll();
    await tail.close();
    append(log, numbered('old', 2, 4));
    fs.renameSync(log, `${log}.1`);
    fs.writeFileSync(`${log}.2.gz`, zlib.gzipSync(Buffer.from(''))); // an empty old file is harmless
    write(log, numbered('new', 2));
    await backfillSyslog({ path: log, source: SOURCE, store, consume: recorder.consume });
    expect(recorder.lines).toEqual([...numbered('old', 5), ...numbered('new', 2)]);
  });

  it("delivers a rotated file's unterminated last line, but leaves the live file's partial line to the follower", async () => {
    const store = new MemoryOffsetStore();
    const recorder = new Recorder();
    write(`${log}.1`, numbered('one', 1), 'Nov 21 10:00:00 vpn1 pppd[1]: Exi');
    write(log, numbered('live', 1), 'Nov 21 10:00:01 vpn1 pppd[2]: Modem ha');
    await backfillSyslog({ path: log, source: SOURCE, store, consume: recorder.consume });
    expect(recorder.lines).toEqual([
      ...numbered('one', 1),
      'Nov 21 10:00:00 vpn1 pppd[1]: Exi',
      ...numbered('live', 1),
    ]);
    append(log, [], 'ngup\n');
    const tail = follower(recorder, store);
    await tail.poll();
    expect(recorder.lines.slice(3)).toEqual(['Nov 21 10:00:01 vpn1 pppd[2]: Modem hangup']);
    await tail.close();
  });

  it('reports a corrupt gzip file and still imports the others', async () => {
    fs.writeFileSync(`${log}.2.gz`, Buffer.from('this is not gzip at all, just text\n'));
    write(`${log}.1`, numbered('one', 1));
    write(log, numbered('live', 1));
    const recorder = new Recorder();
    const summary = await backfillSyslog({
      path: log,
      source: SOURCE,
      store: new MemoryOffsetStore(),
      consume: recorder.consume,
    });
    expect(summary.failed).toEqual([{ path: `${log}.2.gz`, error: expect.stringMatching(/header/) }]);
    expect(recorder.lines).toEqual([...numbered('one', 1), ...numbered('live', 1)]);
  });

  it('assembles a session that spans the rotation, with years from each file’s mtime', async () => {
    rotatedLogs();
    const assembler = new PppdSessionAssembler();
    const outputs: PptpdOutput[] = [];
    let years: SyslogYearInferrer | null = null;
    let file: string | null = null;
    await backfillSyslog({
      path: log,
      source: SOURCE,
      store: new MemoryOffsetStore(),
      consume: (batch) => {
        if (batch.file.path !== file) {
          file = batch.file.path;
          years = new SyslogYearInferrer({ notAfter: batch.file.mtime }, 'utc');
        }
        batch.lines.forEach((line, i) => outputs.push(...assembler.acceptLine(line, batch.firstLine + i, years!)));
      },
    });
    const { closed, issues } = summarise(outputs, assembler);
    expect(issues).toEqual([]);
    expect(closed.map((s) => [s.user, s.startedAt, s.endedAt, s.bytesOut])).toEqual([
      ['paul', utc('2026-11-19T21:10:00Z'), utc('2026-11-19T22:00:31Z'), 3_000_000],
      ['olga', utc('2026-11-20T23:40:00Z'), utc('2026-11-21T00:10:06Z'), 5_500_000],
    ]);
  });
});

describe('rotatedSiblings', () => {
  it('orders numbered and dated rotations oldest first and ignores other files', () => {
    const names = [
      'syslog',
      'syslog.1',
      'syslog.10.gz',
      'syslog.2.gz',
      'syslog.old',
      'syslogd.1',
      'auth.log.1',
      'syslog.3.xz',
    ];
    expect(rotatedSiblings('syslog', names).map((f) => [f.name, f.compressed])).toEqual([
      ['syslog.10.gz', true],
      ['syslog.2.gz', true],
      ['syslog.1', false],
    ]);
    const dated = ['messages-20261121.gz', 'messages', 'messages-20261107', 'messages-20261114.gz'];
    expect(rotatedSiblings('messages', dated).map((f) => f.name)).toEqual([
      'messages-20261107',
      'messages-20261114.gz',
      'messages-20261121.gz',
    ]);
  });
});
