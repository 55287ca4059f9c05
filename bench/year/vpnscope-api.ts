import type { QueryRequest, QueryResponse } from '../../backend/src/contract';
import { buildApp } from '../../backend/src/api/app';
import { SourceHealthRegistry } from '../../backend/src/sources/source-health';
import type { Db } from '../../backend/src/store/database';

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** The real API (buildApp) on 127.0.0.1 at a free port, its clock pinned to the data set's "now". */
export async function startApi(db: Db, nowS: number): Promise<ApiServer> {
  const app = await buildApp({ db, health: new SourceHealthRegistry(), version: 'bench', now: () => nowS });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}

export interface Answer {
  bytes: number;
  frames: number;
  /** Rows of the first field of every frame: points of a series, rows of a table. */
  rows: number;
  errors: string[];
}

/** One POST /api/v1/query over HTTP, as Grafana's data-source proxy sends it; the body is read and parsed. */
export async function query(api: ApiServer, body: QueryRequest): Promise<Answer> {
  const response = await fetch(`${api.url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    return { bytes: text.length, frames: 0, rows: 0, errors: [`HTTP ${response.status}: ${text.slice(0, 200)}`] };
  }
  const results = Object.values((JSON.parse(text) as QueryResponse).results);
  const frames = results.flatMap((result) => result.frames);
  return {
    bytes: text.length,
    frames: frames.length,
    rows: frames.reduce((sum, frame) => sum + (frame.data.values[0]?.length ?? 0), 0),
    errors: results.flatMap((result) => (result.error ? [result.error] : [])),
  };
}
