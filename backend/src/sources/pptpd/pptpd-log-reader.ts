import { PppdSessionAssembler, type PptpdAssemblerState } from '../../parsers/pppd-session';
import type { PptpdOutput, PptpdSession } from '../../parsers/pptpd-records';
import { SyslogYearInferrer, type SyslogTimeZone } from '../../parsers/syslog-year';
import type { LineBatch, SyslogFile } from './syslog-lines';

/**
 * Feeds delivered syslog lines to the pppd session assembler: one year inferrer per file,
 * anchored at the file's mtime (no line in a file is later than its last write), and line
 * numbers as the batch gives them. Shared by the service's source and `vpnscope pptpd`.
 */
export class PptpdLogReader {
  private assembler: PppdSessionAssembler;
  private file: SyslogFile | null = null;
  private years: SyslogYearInferrer | null = null;
  /** A batch from another file than the one before came in since the last call to takeRotated(). */
  private rotated = false;

  constructor(
    private readonly onOutput: (output: PptpdOutput) => void,
    state: PptpdAssemblerState | null = null,
    private readonly timeZone: SyslogTimeZone = 'local'
  ) {
    this.assembler = new PppdSessionAssembler(state ?? undefined);
  }

  readonly consume = (batch: LineBatch): void => {
    const years = this.yearsFor(batch.file);
    const { lines, firstLine } = batch;
    for (let i = 0; i < lines.length; i++) {
      const outputs = this.assembler.acceptLine(lines[i], firstLine + i, years);
      for (let j = 0; j < outputs.length; j++) {
        this.onOutput(outputs[j]);
      }
    }
  };

  openSessions(): PptpdSession[] {
    return this.assembler.openSessions();
  }

  state(): PptpdAssemblerState {
    return this.assembler.state();
  }

  /**
   * Forgets an open session whose pppd is known to be gone without its `Exit.` (see
   * vanished-sessions.ts): its PID's later lines are ignored until an `Exit.` or a new start,
   * exactly as the assembler treats a session another pppd displaced.
   */
  dropSession(key: string): void {
    const state = this.assembler.state();
    const dropped = state.pppds.find(({ session }) => session.key === key);
    if (dropped === undefined) {
      return;
    }
    const { host, pid } = dropped.session;
    state.pppds = state.pppds.filter((pppd) => pppd !== dropped);
    state.ignoredUntilExit.push({ host, pid });
    this.assembler = new PppdSessionAssembler(state);
  }

  takeRotated(): boolean {
    const rotated = this.rotated;
    this.rotated = false;
    return rotated;
  }

  private yearsFor(file: SyslogFile): SyslogYearInferrer {
    if (this.years === null || this.file === null || this.file.path !== file.path || this.file.inode !== file.inode) {
      this.rotated ||= this.file !== null;
      this.file = file;
      this.years = new SyslogYearInferrer({ notAfter: file.mtime }, this.timeZone);
    }
    return this.years;
  }
}
