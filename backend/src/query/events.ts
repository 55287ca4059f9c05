import type { DataFrameJSON, EventKind, EventsQuery } from '../contract';
import { filterParams, listedIn, serverMatches } from './filters';
import { field, frame, millis, shown } from './frames';
import type { QueryContext } from './query-context';
import { prepared } from '../store/prepared';

/** The annotation title of each kind, in the words an operator would use. */
const titles: Record<EventKind, string> = {
  connect: 'Connected',
  disconnect: 'Disconnected',
  auth_failure: 'Authentication failed',
  tls_error: 'TLS error',
  server_restart: 'Server restarted',
  source_error: 'Source error',
  source_down: 'Source down',
  source_up: 'Source up again',
  session_killed: 'Session killed',
};

/** More annotations than this only smear a panel and stall the browser; the newest are kept. */
export const MAX_EVENTS = 5000;

interface EventRow {
  ts: number;
  kind: string;
  server: string | null;
  user: string | null;
  realAddress: string | null;
  detail: string | null;
}

interface StoredEvent extends EventRow {
  id: number;
}

/** Each set filter is written without the `@x IS NULL OR` guard, so that SQLite can seek by it. */
const eventsSql = (filters: string[]): string => `
  SELECT e.id, e.ts, e.kind, v.name AS server, e.user, e.real_address AS realAddress, e.detail
  FROM events e LEFT JOIN servers v ON v.id = e.server_id
  WHERE ${['e.ts BETWEEN @from AND @to', serverMatches('e.server_id'), ...filters].join(' AND ')}
  ORDER BY e.ts DESC, e.id DESC
  LIMIT @limit`;

const newestFirst = (a: StoredEvent, b: StoredEvent): number => b.ts - a.ts || b.id - a.id;

/**
 * The newest `limit` events of the range. A user's events come from events_user. Kinds without a
 * user are read kind by kind from events_kind, each newest first, then merged: rare kinds (server
 * restarts) are then not searched for among every connect of the range, and frequent ones stop
 * at the limit.
 */
function newestEvents(ctx: QueryContext, query: EventsQuery, limit: number): StoredEvent[] {
  const filters = filterParams(query);
  const kinds = [...new Set(query.kinds ?? [])];
  const params = { from: ctx.fromS, to: ctx.toS, limit, kinds: JSON.stringify(kinds), ...filters };
  if (filters.user !== null || kinds.length === 0) {
    const conditions = [
      ...(filters.user === null ? [] : [listedIn('e.user', 'user')]),
      ...(kinds.length === 0 ? [] : ['e.kind IN (SELECT value FROM json_each(@kinds))']),
    ];
    return prepared(ctx.db, eventsSql(conditions)).all(params) as StoredEvent[];
  }
  const ofKind = prepared(ctx.db, eventsSql(['e.kind = @kind']));
  let newest: StoredEvent[] = [];
  for (const kind of kinds) {
    // Once `limit` events are in hand, a further kind can only add events from the oldest of them on.
    const since = newest.length < limit ? ctx.fromS : newest[limit - 1].ts;
    const ofThisKind = ofKind.all({ ...params, from: since, kind }) as StoredEvent[];
    newest = [...newest, ...ofThisKind].sort(newestFirst).slice(0, limit);
  }
  return newest;
}

const titleOf = (kind: string): string => titles[kind as EventKind] ?? kind;

/** "alice from 198.18.0.7: TLS handshake failed"; the title when there is nothing more to say. */
function describe(event: EventRow): string {
  const who = [event.user, event.realAddress === null ? null : `from ${event.realAddress}`].filter(Boolean).join(' ');
  const text = [who, event.detail].filter(Boolean).join(': ');
  return text || titleOf(event.kind);
}

/**
 * Events in the range, newest first, as one frame Grafana can use for annotations as is: it
 * finds the `time`, `title`, `text` and `tags` fields by their display names.
 */
export function eventsFrames(ctx: QueryContext, query: EventsQuery): DataFrameJSON[] {
  const rows = newestEvents(ctx, query, MAX_EVENTS + 1);
  const events = rows.slice(0, MAX_EVENTS);
  const notices =
    rows.length > MAX_EVENTS
      ? [
          {
            severity: 'warning' as const,
            text: `Only the newest ${MAX_EVENTS} events are shown; narrow the range or the kinds.`,
          },
        ]
      : undefined;
  return [
    frame(
      [
        field(
          'time',
          'time',
          events.map((e) => millis(e.ts)),
          shown('Time')
        ),
        field(
          'title',
          'string',
          events.map((e) => titleOf(e.kind)),
          shown('Title')
        ),
        field('text', 'string', events.map(describe), shown('Text')),
        field(
          'tags',
          'other',
          events.map((e) => [e.kind, e.server].filter(Boolean)),
          shown('Tags')
        ),
        field(
          'kind',
          'string',
          events.map((e) => e.kind),
          shown('Kind')
        ),
        field(
          'server',
          'string',
          events.map((e) => e.server),
          shown('Server')
        ),
        field(
          'user',
          'string',
          events.map((e) => e.user),
          shown('User')
        ),
      ],
      { name: 'events', meta: notices ? { notices } : undefined }
    ),
  ];
}
