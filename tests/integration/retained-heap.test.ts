import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { makeTempDir } from '../support/temp-dir';

const repo = path.resolve(__dirname, '../..');

/** Heap left after a full collection, in a fresh node, once `polls` polls have each opened a session. */
function heapAfter(polls: number): number {
  const temp = makeTempDir();
  try {
    const output = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '-r',
        'ts-node/register/transpile-only',
        path.join(repo, 'tests/support/retained-heap.ts'),
        temp.dir,
        String(polls),
        '5000',
      ],
      {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, TS_NODE_PROJECT: path.join(repo, 'backend/tsconfig.json') },
      }
    );
    const { heapUsed, live } = JSON.parse(output.trim()) as { heapUsed: number; live: number };
    expect(live).toBe(5000 + polls);
    return heapUsed;
  } finally {
    temp.cleanup();
  }
}

describe('memory of a long-running tracker', () => {
  it('does not keep the text of every status report a live session was first seen in', () => {
    // each report is ~1 MB; pinning one per poll would add ~70 MB between these two runs
    const growth = heapAfter(80) - heapAfter(10);
    expect(growth).toBeLessThan(16 * 2 ** 20);
  });
});
