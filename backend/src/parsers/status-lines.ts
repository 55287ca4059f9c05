/**
 * Walks a status text line by line without splitting it (see FieldCursor for why). Accepts
 * `\n` and `\r\n` endings: the management interface sends the latter.
 */
export class StatusLines {
  /** 1-based number of the current line. */
  number = 0;
  start = 0;
  /** End of the current line, its line ending excluded. */
  end = 0;
  /** False for a last line with no line ending: when it is not END, a fragment of a torn write. */
  terminated = true;
  private next = 0;

  constructor(readonly text: string) {}

  advance(): boolean {
    const text = this.text;
    if (this.next > text.length) {
      return false;
    }
    const newline = text.indexOf('\n', this.next);
    const end = newline < 0 ? text.length : newline;
    this.start = this.next;
    this.end = end > this.start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    this.terminated = newline >= 0;
    this.next = end + 1;
    this.number++;
    return true;
  }

  is(literal: string): boolean {
    return this.end - this.start === literal.length && this.text.startsWith(literal, this.start);
  }

  startsWith(prefix: string): boolean {
    return this.end - this.start >= prefix.length && this.text.startsWith(prefix, this.start);
  }

  /** Blank lines, and management notifications (`>BYTECOUNT_CLI:...`) interleaved with a `status` reply. */
  isSkipped(): boolean {
    return this.end === this.start || this.text.charCodeAt(this.start) === 62;
  }

  line(): string {
    return this.text.slice(this.start, this.end);
  }

  /** The line for an issue message, cut short when long. */
  quoted(): string {
    return this.end - this.start > 80 ? `'${this.text.slice(this.start, this.start + 77)}...'` : `'${this.line()}'`;
  }
}
