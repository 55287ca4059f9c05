import type { DataFrameJSON, QueryRequest, QueryResponse, VpnQuery } from '../contract';
import type { Db } from '../store/database';
import { appsFrames } from './apps';
import { capacityFrames } from './capacity';
import { eventsFrames } from './events';
import { queryContext, type QueryContext } from './query-context';
import { sessionsFrames } from './sessions';
import { trafficFrames } from './traffic';
import { variableFrames } from './variables';

function framesOf(ctx: QueryContext, query: VpnQuery): DataFrameJSON[] {
  switch (query.queryType) {
    case 'sessions':
      return sessionsFrames(ctx, query);
    case 'traffic':
      return trafficFrames(ctx, query);
    case 'capacity':
      return capacityFrames(ctx, query);
    case 'apps':
      return appsFrames(ctx, query);
    case 'events':
      return eventsFrames(ctx, query);
    case 'variable':
      return variableFrames(ctx, query);
    default: {
      const unhandled: never = query;
      throw new Error(`unknown queryType ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * Answers a validated query request with one result per refId, the way Grafana expects it. The
 * request speaks unix milliseconds; `now` is unix seconds, like storage and AppOptions.now. A
 * query that fails reports its error under its refId; the others still answer.
 */
export function runQueries(db: Db, request: QueryRequest, now = Math.floor(Date.now() / 1000)): QueryResponse {
  const ctx = queryContext(db, request, now);
  const results: QueryResponse['results'] = {};
  for (const query of request.queries) {
    try {
      results[query.refId] = { frames: framesOf(ctx, query).map((f) => withRefId(f, query.refId)) };
    } catch (error) {
      results[query.refId] = { frames: [], error: error instanceof Error ? error.message : String(error) };
    }
  }
  return { results };
}

const withRefId = (frame: DataFrameJSON, refId: string): DataFrameJSON => ({
  ...frame,
  schema: { ...frame.schema, refId },
});
