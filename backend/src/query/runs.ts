/** Splits rows, already ordered by `key`, into runs of equal key; keeps SQL's order. */
export function runsOf<Row>(rows: readonly Row[], key: (row: Row) => string): Row[][] {
  const runs: Row[][] = [];
  let runKey: string | null = null;
  for (const row of rows) {
    const rowKey = key(row);
    if (rowKey === runKey) {
      runs[runs.length - 1].push(row);
    } else {
      runs.push([row]);
      runKey = rowKey;
    }
  }
  return runs;
}
