import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A pppN interface's kernel counters, in the server's view: rx is what the client sent (bytesIn). */
export type InterfaceReading = { present: true; bytesIn: number; bytesOut: number } | { present: false };

export const SYSFS_NET = '/sys/class/net';

/**
 * Reads `<root>/<interface>/statistics/{rx,tx}_bytes`: the 64-bit counters pppd itself reads, so
 * they never wrap and give a live session's bytes while pppd logs nothing. Only for sessions of
 * this machine: a syslog may carry other hosts' pppd lines (remote logging), whose ppp0 is not ours.
 */
export class InterfaceCounters {
  private readonly localHost: string;

  constructor(
    private readonly root: string = SYSFS_NET,
    localHost: string = os.hostname()
  ) {
    this.localHost = shortName(localHost);
  }

  /** Whether this machine's interfaces are the ones a line from `host` names (no host: a local journal). */
  isLocal(host: string): boolean {
    return host === '' || shortName(host) === this.localHost;
  }

  /** False when the kernel's interface list cannot be read here (not Linux, a sandbox): nothing can be told. */
  async available(): Promise<boolean> {
    try {
      return (await fs.stat(this.root)).isDirectory();
    } catch {
      return false;
    }
  }

  async read(name: string): Promise<InterfaceReading> {
    const statistics = path.join(this.root, name, 'statistics');
    try {
      const [rx, tx] = await Promise.all([
        fs.readFile(path.join(statistics, 'rx_bytes'), 'utf8'),
        fs.readFile(path.join(statistics, 'tx_bytes'), 'utf8'),
      ]);
      const bytesIn = Number(rx.trim());
      const bytesOut = Number(tx.trim());
      if (!Number.isSafeInteger(bytesIn) || !Number.isSafeInteger(bytesOut)) {
        return { present: false };
      }
      return { present: true, bytesIn, bytesOut };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { present: false };
      }
      throw error;
    }
  }
}

/** `vpn1.example.org` and `vpn1` are one machine: syslog writes the short name, os.hostname() may not. */
function shortName(host: string): string {
  const dot = host.indexOf('.');
  return (dot < 0 ? host : host.slice(0, dot)).toLowerCase();
}
