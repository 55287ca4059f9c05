import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Absolute paths of the programs the lab drives. */
export interface LabTools {
  readonly openvpn: string;
  readonly ip: string;
  readonly openssl: string;
  readonly ping: string;
}

const TOOL_PACKAGES: Record<keyof LabTools, string> = {
  openvpn: 'openvpn',
  ip: 'iproute2',
  openssl: 'openssl',
  ping: 'iputils-ping',
};

// root's PATH usually has the sbin directories, but a test runner may have been started with a trimmed one
const EXTRA_DIRECTORIES = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

let cached: LabTools | undefined;

/**
 * Checks that this process may build network namespaces and run OpenVPN, and finds the programs.
 * Throws one error that lists everything missing, so a failing e2e test says how to fix the machine.
 */
export function requireLabTools(): LabTools {
  if (cached) {
    return cached;
  }
  const problems: string[] = [];
  if (process.getuid?.() !== 0) {
    problems.push(`must run as root (uid ${process.getuid?.()}): network namespaces and tun devices need it`);
  }
  if (!hasAccess('/dev/net/tun', constants.R_OK | constants.W_OK)) {
    problems.push('/dev/net/tun is missing or not accessible: OpenVPN needs the kernel tun driver');
  }
  const found: Partial<Record<keyof LabTools, string>> = {};
  for (const tool of Object.keys(TOOL_PACKAGES) as Array<keyof LabTools>) {
    const location = findExecutable(tool);
    if (location) {
      found[tool] = location;
    } else {
      problems.push(`\`${tool}\` not found: apt-get install ${TOOL_PACKAGES[tool]}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`The OpenVPN e2e lab cannot run here:\n- ${problems.join('\n- ')}`);
  }
  cached = found as LabTools;
  return cached;
}

function findExecutable(name: string): string | undefined {
  const directories = [...(process.env.PATH ?? '').split(path.delimiter), ...EXTRA_DIRECTORIES];
  return directories
    .filter((directory) => directory !== '')
    .map((directory) => path.join(directory, name))
    .find((candidate) => hasAccess(candidate, constants.X_OK));
}

function hasAccess(file: string, mode: number): boolean {
  try {
    accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}
