import { SESSION_CLIENTS_SCHEMA } from './session-clients';

/**
 * Schema migrations, applied in order inside one transaction each; `PRAGMA user_version`
 * records how far a database has come. Append new steps; never edit a released one.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE servers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('openvpn', 'pptpd')),
    pool_size INTEGER,
    pool_size_source TEXT,
    last_poll_at INTEGER
  );

  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    server_id INTEGER NOT NULL REFERENCES servers(id),
    identity TEXT NOT NULL,
    user TEXT NOT NULL,
    common_name TEXT NOT NULL,
    real_address TEXT NOT NULL,
    virtual_ipv4 TEXT,
    virtual_ipv6 TEXT,
    client_id INTEGER,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    last_seen INTEGER NOT NULL,
    bytes_in INTEGER NOT NULL DEFAULT 0,
    bytes_out INTEGER NOT NULL DEFAULT 0,
    cipher TEXT,
    app TEXT,
    app_version TEXT,
    platform TEXT,
    platform_version TEXT,
    client_version TEXT,
    end_reason TEXT,
    UNIQUE (server_id, identity)
  );
  CREATE INDEX sessions_live ON sessions (server_id) WHERE ended_at IS NULL;
  CREATE INDEX sessions_time ON sessions (started_at, ended_at);
  CREATE INDEX sessions_user ON sessions (user, started_at);

  -- Per-interval deltas; server and user are copied in so traffic queries need no join.
  -- Keyed by time first: each poll appends at the end of one B-tree, and range queries read it in order.
  CREATE TABLE traffic (
    ts INTEGER NOT NULL,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    server_id INTEGER NOT NULL,
    user TEXT NOT NULL,
    bytes_in INTEGER NOT NULL,
    bytes_out INTEGER NOT NULL,
    PRIMARY KEY (ts, session_id)
  ) WITHOUT ROWID;

  CREATE TABLE capacity (
    server_id INTEGER NOT NULL REFERENCES servers(id),
    pool TEXT NOT NULL,
    ts INTEGER NOT NULL,
    used INTEGER NOT NULL,
    size INTEGER,
    PRIMARY KEY (server_id, pool, ts)
  ) WITHOUT ROWID;
  CREATE INDEX capacity_time ON capacity (ts);

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    server_id INTEGER REFERENCES servers(id),
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    user TEXT,
    real_address TEXT,
    detail TEXT
  );
  CREATE INDEX events_time ON events (ts);

  -- Where a tailing source stopped, so a restart resumes without loss or double counting.
  CREATE TABLE source_offsets (
    source TEXT PRIMARY KEY,
    inode INTEGER,
    offset INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  `
  -- What a log-reading source remembers between lines (pppd sessions still open, as JSON), saved in
  -- the transaction that saves its offsets: sessions open across a restart then close correctly.
  CREATE TABLE source_state (
    source TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  `
  -- Rollups of traffic (bytes summed; ts is the end of the bucket, so a rollup row counts like a raw
  -- delta stamped at that second) and of capacity (ts is the bucket start, like a sample). They are
  -- kept by rollUp() from the time ranges each write marks in rollup_dirty, never by rescanning.
  CREATE TABLE rollup_dirty (
    id INTEGER PRIMARY KEY,
    from_ts INTEGER NOT NULL,
    to_ts INTEGER NOT NULL
  );
  -- The rollups hold every write up to here (and before the first pending mark); raw rows written
  -- without a mark, as before this migration, are never assumed rolled up.
  CREATE TABLE rollup_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rolled_through INTEGER NOT NULL
  );
  CREATE TABLE traffic_minute (
    ts INTEGER NOT NULL, server_id INTEGER NOT NULL, user TEXT NOT NULL,
    bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL,
    PRIMARY KEY (ts, server_id, user)
  ) WITHOUT ROWID;
  CREATE TABLE traffic_hour (
    ts INTEGER NOT NULL, server_id INTEGER NOT NULL, user TEXT NOT NULL,
    bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL,
    PRIMARY KEY (ts, server_id, user)
  ) WITHOUT ROWID;
  CREATE TABLE traffic_day (
    ts INTEGER NOT NULL, server_id INTEGER NOT NULL, user TEXT NOT NULL,
    bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL,
    PRIMARY KEY (ts, server_id, user)
  ) WITHOUT ROWID;
  CREATE TABLE capacity_minute (
    server_id INTEGER NOT NULL, pool TEXT NOT NULL, ts INTEGER NOT NULL, max_used INTEGER NOT NULL, size INTEGER,
    PRIMARY KEY (server_id, pool, ts)
  ) WITHOUT ROWID;
  CREATE TABLE capacity_hour (
    server_id INTEGER NOT NULL, pool TEXT NOT NULL, ts INTEGER NOT NULL, max_used INTEGER NOT NULL, size INTEGER,
    PRIMARY KEY (server_id, pool, ts)
  ) WITHOUT ROWID;
  CREATE TABLE capacity_day (
    server_id INTEGER NOT NULL, pool TEXT NOT NULL, ts INTEGER NOT NULL, max_used INTEGER NOT NULL, size INTEGER,
    PRIMARY KEY (server_id, pool, ts)
  ) WITHOUT ROWID;
  `,
  `
  -- A poll rewrites every live session's counters. On the wide sessions row that costs twice what it
  -- costs on a narrow one (10k sessions: 14 ms against 7), so the counters live in their own table.
  CREATE TABLE session_counters (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    last_seen INTEGER NOT NULL,
    bytes_in INTEGER NOT NULL,
    bytes_out INTEGER NOT NULL
  );
  INSERT INTO session_counters (session_id, last_seen, bytes_in, bytes_out)
    SELECT id, last_seen, bytes_in, bytes_out FROM sessions;
  ALTER TABLE sessions DROP COLUMN last_seen;
  ALTER TABLE sessions DROP COLUMN bytes_in;
  ALTER TABLE sessions DROP COLUMN bytes_out;
  `,
  `
  -- A raw delta keeps only what a poll learns: when, which session, how many bytes. Server and user
  -- are the session's (readers join on its primary key), and there is no foreign key: the store
  -- writes deltas only for sessions it holds, and retention deletes a session only after its
  -- deltas. At 10k sessions a poll's inserts took 21 ms with both, 9 ms without.
  CREATE TABLE traffic_deltas (
    ts INTEGER NOT NULL,
    session_id INTEGER NOT NULL,
    bytes_in INTEGER NOT NULL,
    bytes_out INTEGER NOT NULL,
    PRIMARY KEY (ts, session_id)
  ) WITHOUT ROWID;
  INSERT INTO traffic_deltas SELECT ts, session_id, bytes_in, bytes_out FROM traffic;
  DROP TABLE traffic;
  ALTER TABLE traffic_deltas RENAME TO traffic;
  `,
  `
  -- Per table, the time from which retention has left every row (older rows were deleted): the
  -- query layer reads it to know which table still holds a range. Version 5 kept it as JSON in
  -- source_state under the key 'retention'.
  CREATE TABLE retention_state (
    table_name TEXT PRIMARY KEY,
    kept_from INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  INSERT INTO retention_state (table_name, kept_from, updated_at)
    SELECT j.key, j.value, s.updated_at FROM source_state s, json_each(s.state) j WHERE s.source = 'retention';
  DELETE FROM source_state WHERE source = 'retention';
  `,
  `
  -- Traffic per server (and so of the fleet), minute/hour/day: a per-server series reads a few rows
  -- per bucket, not one per user. They are the sums of the per-user rollups, filled from them here
  -- and kept by rollUp and retention with them (same cuts, so same retention_state marks).
  CREATE TABLE traffic_server_minute (
    ts INTEGER NOT NULL, server_id INTEGER NOT NULL, bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL,
    PRIMARY KEY (ts, server_id)
  ) WITHOUT ROWID;
  CREATE TABLE traffic_server_hour (
    ts INTEGER NOT NULL, server_id INTEGER NOT NULL, bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL,
    PRIMARY KEY (ts, server_id)
  ) WITHOUT ROWID;
  CREATE TABLE traffic_server_day (
    ts INTEGER NOT NULL, server_id INTEGER NOT NULL, bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL,
    PRIMARY KEY (ts, server_id)
  ) WITHOUT ROWID;
  INSERT INTO traffic_server_minute SELECT ts, server_id, SUM(bytes_in), SUM(bytes_out) FROM traffic_minute GROUP BY 1, 2;
  INSERT INTO traffic_server_hour SELECT ts, server_id, SUM(bytes_in), SUM(bytes_out) FROM traffic_hour GROUP BY 1, 2;
  INSERT INTO traffic_server_day SELECT ts, server_id, SUM(bytes_in), SUM(bytes_out) FROM traffic_day GROUP BY 1, 2;
  INSERT INTO retention_state (table_name, kept_from, updated_at)
    SELECT 'traffic_server' || substr(table_name, 8), kept_from, updated_at FROM retention_state
    WHERE table_name IN ('traffic_minute', 'traffic_hour', 'traffic_day');
  -- One user's rows (a $user filter, a top N's chosen users) by seeking, not by walking every user's
  -- rows on the time key: a covering index by (user, ts) per table, of the sealed rows only. Rows
  -- up to traffic_sealed.through (at whole buckets of each table) are sealed: they have stopped
  -- changing. Newer rows change at every poll, and in a user-ordered index each change would dirty
  -- a page per user (10k users: rollUp 82 -> 416 ms a round); queries read them by time instead.
  -- rollUp seals rows every few minutes and sets the flag of every row it writes.
  CREATE TABLE traffic_sealed (id INTEGER PRIMARY KEY CHECK (id = 1), through INTEGER NOT NULL);
  INSERT INTO traffic_sealed (id, through)
    SELECT 1, COALESCE((SELECT rolled_through - rolled_through % 60 FROM rollup_state), 0);
  -- Rows already there are sealed by the default (no rewrite of every row), the newest unsealed.
  ALTER TABLE traffic_minute ADD COLUMN sealed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE traffic_hour ADD COLUMN sealed INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE traffic_day ADD COLUMN sealed INTEGER NOT NULL DEFAULT 1;
  UPDATE traffic_minute SET sealed = 0 WHERE ts > (SELECT through FROM traffic_sealed);
  UPDATE traffic_hour SET sealed = 0 WHERE ts > (SELECT through - through % 3600 FROM traffic_sealed);
  UPDATE traffic_day SET sealed = 0 WHERE ts > (SELECT through - through % 86400 FROM traffic_sealed);
  -- Per-user traffic per week (since the epoch, ending on Thursdays), summed from the day rows: the
  -- busiest users of a year read 52 rows each instead of 365. Pruned as far as the day rows, in
  -- whole weeks.
  CREATE TABLE traffic_week (
    ts INTEGER NOT NULL, server_id INTEGER NOT NULL, user TEXT NOT NULL,
    bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL, sealed INTEGER NOT NULL,
    PRIMARY KEY (ts, server_id, user)
  ) WITHOUT ROWID;
  INSERT INTO traffic_week
    SELECT (ts - 1) - (ts - 1) % 604800 + 604800, server_id, user, SUM(bytes_in), SUM(bytes_out),
           (ts - 1) - (ts - 1) % 604800 + 604800 <= (SELECT through - through % 604800 FROM traffic_sealed)
    FROM traffic_day GROUP BY 1, 2, 3;
  INSERT INTO retention_state (table_name, kept_from, updated_at)
    SELECT 'traffic_week', kept_from - kept_from % 604800, updated_at FROM retention_state WHERE table_name = 'traffic_day';
  CREATE INDEX traffic_minute_user ON traffic_minute (user, ts, bytes_in, bytes_out) WHERE sealed = 1;
  CREATE INDEX traffic_hour_user ON traffic_hour (user, ts, bytes_in, bytes_out) WHERE sealed = 1;
  CREATE INDEX traffic_day_user ON traffic_day (user, ts, bytes_in, bytes_out) WHERE sealed = 1;
  CREATE INDEX traffic_week_user ON traffic_week (user, ts, bytes_in, bytes_out) WHERE sealed = 1;
  `,
  `
  -- Sessions overlapping a range are the open ones (sessions_live) and those ended since its start:
  -- sessions_end bounds them from below. A user's (sessions of $user, the $user variable's per-user
  -- question) by seeking user, server and end; it also serves sessions_user's lookups by user.
  CREATE INDEX sessions_end ON sessions (ended_at);
  CREATE INDEX sessions_user_end ON sessions (user, server_id, ended_at, started_at);
  DROP INDEX sessions_user;
  -- Annotations of some kinds or of one user without walking every event of the range.
  CREATE INDEX events_kind ON events (kind, ts);
  CREATE INDEX events_user ON events (user, ts);
  -- Sessions whose end precedes their start (a server clock ahead of ours): client_days counts them
  -- like the others, the apps query corrects for them from here.
  CREATE INDEX sessions_reversed ON sessions (ended_at) WHERE ended_at < started_at;
  ${SESSION_CLIENTS_SCHEMA}
  `,
  `
  -- Per-user traffic per four weeks (since the epoch), summed from the week rows: the busiest users
  -- of a year read 13 rows each instead of 52 (2,000 users: the ranking's 106k week rows take
  -- 22 ms). Sealed, indexed and pruned like the week rows, in whole four weeks.
  CREATE TABLE traffic_four_weeks (
    ts INTEGER NOT NULL, server_id INTEGER NOT NULL, user TEXT NOT NULL,
    bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL, sealed INTEGER NOT NULL,
    PRIMARY KEY (ts, server_id, user)
  ) WITHOUT ROWID;
  INSERT INTO traffic_four_weeks
    SELECT (ts - 1) - (ts - 1) % 2419200 + 2419200, server_id, user, SUM(bytes_in), SUM(bytes_out),
           (ts - 1) - (ts - 1) % 2419200 + 2419200 <= (SELECT through - through % 2419200 FROM traffic_sealed)
    FROM traffic_week GROUP BY 1, 2, 3;
  INSERT INTO retention_state (table_name, kept_from, updated_at)
    SELECT 'traffic_four_weeks', kept_from - kept_from % 2419200, updated_at FROM retention_state
    WHERE table_name = 'traffic_week';
  CREATE INDEX traffic_four_weeks_user ON traffic_four_weeks (user, ts, bytes_in, bytes_out) WHERE sealed = 1;
  `,
];
