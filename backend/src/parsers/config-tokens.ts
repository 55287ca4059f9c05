/**
 * Splits one OpenVPN config line into words the way OpenVPN's parse_line does: whitespace
 * separates, `"..."` and `'...'` quote, a backslash escapes a backslash, a double quote or a
 * space outside single quotes, and `#` or `;` at the start of a word begins a comment.
 * Returns the words, or a sentence saying why OpenVPN would reject the line.
 */
export function configTokens(line: string): string[] | string {
  const tokens: string[] = [];
  let token = '';
  let state: 'between' | 'plain' | 'double' | 'single' = 'between';
  let escaped = false;
  for (const c of line) {
    if (!escaped && c === '\\' && state !== 'single') {
      escaped = true;
      continue;
    }
    let out = '';
    let finished = false;
    if (state !== 'between') {
      finished = state === 'single' ? c === "'" : !escaped && (state === 'plain' ? isSpace(c) : c === '"');
      out = finished ? '' : c;
    } else if (!isSpace(c)) {
      if (c === '#' || c === ';') {
        break;
      }
      if (!escaped && (c === '"' || c === "'")) {
        state = c === '"' ? 'double' : 'single';
      } else {
        out = c;
        state = 'plain';
      }
    }
    if (escaped && out !== '' && out !== '\\' && out !== '"' && !isSpace(out)) {
      return 'bad backslash: only \\\\, \\" and \\<space> are escapes (double a Windows path backslash)';
    }
    escaped = false;
    token += out;
    if (finished) {
      tokens.push(token);
      token = '';
      state = 'between';
    }
  }
  if (state === 'double' || state === 'single') {
    return `no closing ${state === 'double' ? 'quotation mark (")' : "single quotation mark (')"}`;
  }
  if (state === 'plain') {
    tokens.push(token);
  }
  return tokens;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\f';
}
