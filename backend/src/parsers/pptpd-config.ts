import type { ParseIssue, ParseResult } from '../model';
import { isIpv4 } from './pppd-message';

/**
 * Reads the capacity of a pptpd server from /etc/pptpd.conf the way pptpd itself does
 * (pptpd.c, configfile.c): the first line starting with a keyword wins, the value is the rest
 * of the line; `localip`/`remoteip` are comma-separated addresses or ranges with one hyphen in
 * any octet (`192.168.0.234-238`, `192.168-178.1.231`); `connections` (default 100) caps how many
 * addresses pptpd takes. Each call gets a slot: remote address i with local address i, or the one
 * local address shared by all.
 */

export interface PptpdAddressList {
  /** The value as written; null when the line is missing and pptpd's built-in default applies. */
  written: string | null;
  /** Addresses pptpd takes from it, after the `connections` cap. */
  count: number;
}

export interface PptpdConfig {
  connections: number;
  /** `delegate`: pppd (RADIUS) assigns addresses; only `connections` limits the calls. */
  delegate: boolean;
  localip: PptpdAddressList;
  remoteip: PptpdAddressList;
  /** How many calls pptpd can carry at once: the pool size capacity is measured against. */
  poolSize: number;
}

const DEFAULT_CONNECTIONS = 100;
// pptpd's defaults.h, used when a line is missing
const DEFAULT_LOCAL_IPS = '192.168.0.1-100';
const DEFAULT_REMOTE_IPS = '192.168.1.1-100';

interface Keyword {
  value: string;
  line: number;
}

export function parsePptpdConfig(text: string): ParseResult<PptpdConfig> {
  const issues: ParseIssue[] = [];
  const keywords = firstKeywords(text, issues);
  let connections = DEFAULT_CONNECTIONS;
  const connectionsLine = keywords.get('connections');
  if (connectionsLine !== undefined) {
    const parsed = /^\d+$/.test(connectionsLine.value) ? Number(connectionsLine.value) : 0;
    if (parsed > 0) {
      connections = parsed;
    } else {
      issues.push({
        line: connectionsLine.line,
        message: `connections "${connectionsLine.value}" is not a positive number; pptpd uses ${DEFAULT_CONNECTIONS}`,
      });
    }
  }
  const delegate = keywords.has('delegate');
  const remoteip = addressList(keywords.get('remoteip'), DEFAULT_REMOTE_IPS, connections, issues);
  const localip = addressList(keywords.get('localip'), DEFAULT_LOCAL_IPS, connections, issues);
  let poolSize = connections;
  if (!delegate) {
    poolSize = Math.min(poolSize, remoteip.count);
    if (localip.count !== 1) {
      poolSize = Math.min(poolSize, localip.count);
    }
  }
  return { value: { connections, delegate, localip, remoteip, poolSize }, issues };
}

function firstKeywords(text: string, issues: ParseIssue[]): Map<string, Keyword> {
  const keywords = new Map<string, Keyword>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/[ \t\r]+$/, '');
    if (line === '' || line.startsWith('#')) {
      return;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      issues.push({ line: index + 1, message: 'line starts with whitespace; pptpd ignores it' });
      return;
    }
    const match = /^(\S+)[ \t]*(.*)$/.exec(line);
    if (match !== null && !keywords.has(match[1])) {
      keywords.set(match[1], { value: match[2], line: index + 1 });
    }
  });
  return keywords;
}

function addressList(
  keyword: Keyword | undefined,
  fallback: string,
  connections: number,
  issues: ParseIssue[]
): PptpdAddressList {
  const { count, problems } = countPptpdAddresses(keyword?.value ?? fallback);
  for (const problem of problems) {
    issues.push({ line: keyword?.line ?? 0, message: problem });
  }
  return { written: keyword?.value ?? null, count: Math.min(count, connections) };
}

/** How many addresses a `localip`/`remoteip` value names, with what pptpd would reject. */
export function countPptpdAddresses(value: string): { count: number; problems: string[] } {
  let count = 0;
  const problems: string[] = [];
  for (const entry of value.split(',').map((part) => part.trim())) {
    const dashes = entry.split('-').length - 1;
    const dots = entry.split('.').length - 1;
    if (dashes === 1 && dots === 3 && /^[\d.-]+$/.test(entry)) {
      const range = rangeSize(entry);
      if (range === null) {
        problems.push(`"${entry}" is not an address range pptpd accepts`);
      } else {
        count += range;
      }
    } else if (isIpv4(entry) || /^(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9.-]*$/.test(entry)) {
      count += 1; // pptpd also accepts a host name here and resolves it
    } else {
      problems.push(`"${entry}" is neither an address nor a range`);
    }
  }
  return { count, problems };
}

/** `a.b.c.d` with `lower-upper` in one octet: how many addresses, or null if an octet is out of range. */
function rangeSize(entry: string): number | null {
  let size = 1;
  for (const octet of entry.split('.')) {
    const bounds = octet.split('-');
    if (bounds.some((bound) => !/^\d{1,3}$/.test(bound))) {
      return null;
    }
    const [lower, upper = lower] = bounds.map(Number);
    if (lower > 255 || upper > 255) {
      return null;
    }
    if (bounds.length === 2) {
      size = upper >= lower ? upper - lower + 1 : 0; // pptpd's loop simply runs zero times
    }
  }
  return size;
}
