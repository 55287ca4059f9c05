import type { DataFrameJSON, FieldSchemaJSON, QueryRequest, VpnQuery } from '../../backend/src/contract';
import type { Db } from '../../backend/src/store/database';
import { runQueries } from '../../backend/src/query/run-query';

/** A query of any type without the refId the helper adds (Omit distributed over the union). */
type WithoutRefId<Q> = Q extends VpnQuery ? Omit<Q, 'refId'> : never;
export type QueryWithoutRefId = WithoutRefId<VpnQuery>;

/** Runs one query over [from, to] (unix seconds) and returns its frames, failing on a query error. */
export function framesFor(
  db: Db,
  query: QueryWithoutRefId,
  options: { from: number; to: number; now: number; intervalS?: number; maxDataPoints?: number }
): DataFrameJSON[] {
  const request: QueryRequest = {
    range: { from: options.from * 1000, to: options.to * 1000 },
    intervalMs: (options.intervalS ?? 60) * 1000,
    maxDataPoints: options.maxDataPoints ?? 1000,
    queries: [{ refId: 'A', ...query } as VpnQuery],
  };
  const result = runQueries(db, request, options.now).results.A;
  if (result.error) {
    throw new Error(result.error);
  }
  return result.frames;
}

export function fieldOf(frame: DataFrameJSON, name: string): { schema: FieldSchemaJSON; values: unknown[] } {
  const index = frame.schema.fields.findIndex((f) => f.name === name);
  if (index < 0) {
    throw new Error(`no field ${name} in ${frame.schema.fields.map((f) => f.name).join(', ')}`);
  }
  return { schema: frame.schema.fields[index], values: frame.data.values[index] };
}

export const valuesOf = (frame: DataFrameJSON, name: string): unknown[] => fieldOf(frame, name).values;

const canonical = (labels: Record<string, string> = {}): string =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

/** The frame of the series whose value field carries exactly these labels. */
export function seriesWith(frames: DataFrameJSON[], labels: Record<string, string>): DataFrameJSON {
  const found = frames.find((frame) => canonical(frame.schema.fields[1]?.labels) === canonical(labels));
  if (!found) {
    const present = frames.map((frame) => canonical(frame.schema.fields[1]?.labels)).join(' ');
    throw new Error(`no series ${canonical(labels)} among ${present}`);
  }
  return found;
}
