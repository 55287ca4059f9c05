import fs from 'node:fs';
import path from 'node:path';
import { PppdSessionAssembler } from '../../backend/src/parsers/pppd-session';
import type { PptpdAuthFailure, PptpdOutput, PptpdSession } from '../../backend/src/parsers/pptpd-records';
import type { ParseIssue } from '../../backend/src/model';
import { SyslogYearInferrer, type YearAnchor } from '../../backend/src/parsers/syslog-year';

export function readPptpdFixture(name: string): string {
  return fs.readFileSync(path.resolve(__dirname, '../fixtures/pptpd', name), 'utf8');
}

export interface Replay {
  outputs: PptpdOutput[];
  opened: PptpdSession[];
  updated: PptpdSession[];
  closed: PptpdSession[];
  failures: PptpdAuthFailure[];
  issues: ParseIssue[];
  assembler: PppdSessionAssembler;
}

/** Feeds a log text line by line, the way a source would, and sorts what came out. */
export function replayPptpdLog(
  text: string,
  anchor: YearAnchor = { year: 2026 },
  assembler = new PppdSessionAssembler(),
  years = new SyslogYearInferrer(anchor, 'utc')
): Replay {
  const outputs: PptpdOutput[] = [];
  text.split('\n').forEach((line, index) => {
    if (line !== '') {
      outputs.push(...assembler.acceptLine(line, index + 1, years));
    }
  });
  return summarise(outputs, assembler);
}

export function summarise(outputs: PptpdOutput[], assembler: PppdSessionAssembler): Replay {
  const pick = <K extends PptpdOutput['kind']>(kind: K) =>
    outputs.filter((output): output is Extract<PptpdOutput, { kind: K }> => output.kind === kind);
  return {
    outputs,
    opened: pick('opened').map((output) => output.session),
    updated: pick('updated').map((output) => output.session),
    closed: pick('closed').map((output) => output.session),
    failures: pick('auth-failure').map((output) => output.failure),
    issues: pick('issue').map((output) => output.issue),
    assembler,
  };
}

export const utc = (iso: string): number => Date.parse(iso) / 1000;
