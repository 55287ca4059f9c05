import { parseDecimalIn } from './decimal';

/**
 * The fields of one status line as offsets into the whole text. A status report of 10,000
 * clients has 30,000 lines; splitting each into an array of strings costs more than the rest of
 * the parse, so fields are sliced only when a record keeps them and numbers are read in place.
 * One cursor is reused for every line of a parse.
 */
export class FieldCursor {
  count = 0;
  private text = '';
  private starts = new Int32Array(16);
  private ends = new Int32Array(16);

  /** Points the cursor at the fields of text[start, end) separated by `separator`. */
  select(text: string, start: number, end: number, separator: string): void {
    this.text = text;
    let count = 0;
    let fieldStart = start;
    for (;;) {
      let fieldEnd = text.indexOf(separator, fieldStart);
      if (fieldEnd < 0 || fieldEnd >= end) {
        fieldEnd = end;
      }
      if (count === this.starts.length) {
        this.grow();
      }
      this.starts[count] = fieldStart;
      this.ends[count] = fieldEnd;
      count++;
      if (fieldEnd === end) {
        break;
      }
      fieldStart = fieldEnd + 1;
    }
    this.count = count;
  }

  field(index: number): string {
    return this.text.slice(this.starts[index], this.ends[index]);
  }

  /** Fields from `first` on, as strings (for header lines, which are few). */
  fields(first: number): string[] {
    const fields: string[] = [];
    for (let i = first; i < this.count; i++) {
      fields.push(this.field(i));
    }
    return fields;
  }

  /** The rest of the line from field `first` on, separators included. */
  rest(first: number): string {
    return this.text.slice(this.starts[first], this.ends[this.count - 1]);
  }

  decimal(index: number): number | null {
    return parseDecimalIn(this.text, this.starts[index], this.ends[index]);
  }

  is(index: number, literal: string): boolean {
    const start = this.starts[index];
    return this.ends[index] - start === literal.length && this.text.startsWith(literal, start);
  }

  isEmpty(index: number): boolean {
    return this.ends[index] === this.starts[index];
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}
