import { spawn } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the vpnscope CLI from its TypeScript source, as a separate process, like cron would. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(repo, 'backend/src/cli.ts'), ...args],
      {
        cwd: options.cwd ?? repo,
        env: { ...process.env, TS_NODE_PROJECT: path.join(repo, 'backend/tsconfig.json'), ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const fixturesDir = path.resolve(repo, '../shared/fixtures/openvpn-2.6.14');
