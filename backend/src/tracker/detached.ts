/**
 * A copy of `text` that shares no memory with the string it was cut from. V8 keeps a slice of
 * 13 or more characters as a view on its parent, so a user name sliced from a 2.5 MB status
 * file would keep that whole file alive for as long as the session lives: with sessions opening
 * in most polls, a long-running vpnscope would hold a file per poll. Only what outlives a poll
 * (a live session's identity and details) is copied; everything else is cut in place.
 */
export function detached(text: string): string {
  // concatenation then a slice makes V8 flatten the pair into a new string of text.length + 1
  return text.length < 13 ? text : (' ' + text).slice(1);
}

export function detachedOrNull(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : detached(text);
}
