/**
 * Which SQL statements a slow request spent its time in, and how SQLite plans them: wraps
 * better-sqlite3's Statement#all and #get while a request runs (never during the timed runs).
 */
import { performance } from 'node:perf_hooks';
import type { Db } from '../../backend/src/store/database';

export interface TracedStatement {
  sql: string;
  params: unknown[];
  ms: number;
}

type Read = (...params: unknown[]) => unknown;
interface StatementMethods {
  all: Read;
  get: Read;
}

/** Runs `work` with every statement execution on any connection recorded; returns them slowest first. */
export async function traceStatements(db: Db, work: () => Promise<unknown>): Promise<TracedStatement[]> {
  const prototype = Object.getPrototypeOf(db.prepare('SELECT 1')) as StatementMethods;
  const originals = { all: prototype.all, get: prototype.get };
  const traced: TracedStatement[] = [];
  for (const method of ['all', 'get'] as const) {
    const original = originals[method];
    prototype[method] = function (this: { source: string }, ...params: unknown[]) {
      const began = performance.now();
      try {
        return original.apply(this, params);
      } finally {
        traced.push({ sql: this.source, params, ms: performance.now() - began });
      }
    };
  }
  try {
    await work();
  } finally {
    Object.assign(prototype, originals);
  }
  return traced.sort((a, b) => b.ms - a.ms);
}

/** SQLite's EXPLAIN QUERY PLAN of a statement with its parameters, as an indented tree. */
export function explain(db: Db, statement: TracedStatement): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.params) as Array<{
    id: number;
    parent: number;
    detail: string;
  }>;
  const depth = new Map<number, number>([[0, -1]]);
  return rows.map((row) => {
    const level = (depth.get(row.parent) ?? -1) + 1;
    depth.set(row.id, level);
    return `${'  '.repeat(level)}${row.detail}`;
  });
}

/** One line of SQL, for a report. */
export const oneLine = (sql: string): string => sql.replace(/\s+/g, ' ').trim();
