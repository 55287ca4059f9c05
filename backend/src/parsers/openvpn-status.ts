import type { ParseIssue, StatusParseResult, StatusReport } from '../model';
import { RecordReader, Version1Reader } from './status-readers';
import { StatusLines } from './status-lines';

export interface StatusParseOptions {
  /**
   * Read the ROUTING_TABLE records of versions 2 and 3 (default true). A poll that only tracks
   * sessions skips them: they are a third of the objects a parse makes, and these versions give
   * each client's virtual addresses in its CLIENT_LIST row. Version 1 reads its routing table
   * either way, as it is where v1 keeps the virtual addresses.
   */
  routes?: boolean;
}

/**
 * Reads an OpenVPN status report, from the status file or a management `status N` reply, in
 * any status version (1: CSV sections, 2: comma records, 3: tab records) and from any OpenVPN
 * release since 2.3. Never throws: a bad line becomes an issue and costs only itself.
 *
 * `complete` means the `END` line was seen. OpenVPN rewrites the file in place, so a reader can
 * catch it half written; an unterminated last line is then a fragment and is left out.
 * Anything after END (the stale tail of a longer previous write) is not part of the report.
 */
export function parseStatus(text: string, options: StatusParseOptions = {}): StatusParseResult {
  const issues: ParseIssue[] = [];
  const report: StatusReport = {
    format: 1,
    title: undefined,
    updatedAt: null,
    clients: [],
    routes: [],
    // keyed by names from the input, so no inherited key such as `constructor` may answer
    globalStats: Object.create(null),
  };
  const lines = new StatusLines(text);
  const format = detectFormat(lines, issues);
  if (format === null) {
    return { value: report, issues, complete: false };
  }
  report.format = format;
  if (format !== 1) {
    return {
      value: report,
      issues,
      complete: readLines(lines, new RecordReader(report, issues, format, options.routes ?? true)),
    };
  }
  const reader = new Version1Reader(report, issues);
  const complete = readLines(lines, reader);
  reader.finish();
  return { value: report, issues, complete };
}

/** Feeds the reader every line up to END; returns whether END was seen. */
function readLines(lines: StatusLines, reader: { read(lines: StatusLines): void }): boolean {
  do {
    if (lines.is('END')) {
      return true;
    }
    if (!lines.terminated) {
      return false;
    }
    if (!lines.isSkipped()) {
      reader.read(lines);
    }
  } while (lines.advance());
  return false;
}

const RECORD_TYPES = ['TITLE', 'TIME', 'HEADER', 'CLIENT_LIST', 'ROUTING_TABLE', 'GLOBAL_STATS'];
const VERSION_3_STARTS = RECORD_TYPES.map((type) => `${type}\t`);
const VERSION_2_STARTS = RECORD_TYPES.map((type) => `${type},`);

/** Advances to the first status line and tells its version; null when the text has none. */
function detectFormat(lines: StatusLines, issues: ParseIssue[]): 1 | 2 | 3 | null {
  while (lines.advance()) {
    if (lines.isSkipped()) {
      continue;
    }
    if (lines.is('OpenVPN CLIENT LIST') || lines.startsWith('Updated,')) {
      return 1;
    }
    if (VERSION_3_STARTS.some((start) => lines.startsWith(start))) {
      return 3;
    }
    if (VERSION_2_STARTS.some((start) => lines.startsWith(start))) {
      return 2;
    }
    if (lines.terminated) {
      issues.push({ line: lines.number, message: `not an OpenVPN status line: ${lines.quoted()}` });
    }
  }
  return null;
}
