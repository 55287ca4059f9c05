import type { DataFrameJSON, EventKind, EventsQuery } from '../contract';
import { filterParams, serverMatches, userMatches } from './filters';
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

const eventsSql = `
  SELECT e.ts, e.kind, v.name AS server, e.user, e.real_address AS realAddress, e.detail
  FROM events e LEFT JOIN servers v ON v.id = e.server_id
  WHERE e.ts BETWEEN @from AND @to AND ${serverMatches('e.server_id')} AND ${userMatches('e.user')}
    AND (@kinds IS NULL OR e.kind IN (SELECT value FROM json_each(@kinds)))
  ORDER BY e.ts DESC, e.id DESC
  LIMIT @limit`;

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
  const rows = prepared(ctx.db, eventsSql).all({
    from: ctx.fromS,
    to: ctx.toS,
    kinds: query.kinds?.length ? JSON.stringify(query.kinds) : null,
    limit: MAX_EVENTS + 1,
    ...filterParams(query),
  }) as EventRow[];
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
