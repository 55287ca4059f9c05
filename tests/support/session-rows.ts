/**
 * Sessions with their counters, as one row each: the store keeps the counters a poll rewrites in
 * their own narrow table (session_counters), apart from the session's descriptive columns.
 */
export const SESSIONS_WITH_COUNTERS = `(
  SELECT s.*, c.last_seen, c.bytes_in, c.bytes_out FROM sessions s JOIN session_counters c ON c.session_id = s.id
)`;
