/**
 * Rows of `count` values as one array per column: how a batch travels to
 * `unnest($1::text[], $2::text[], ...)`, in a statement whose text stays the
 * same whatever the batch's size (so it can be prepared once).
 */
export function unnestColumns(rows: readonly (readonly unknown[])[], count: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: count }, () => []);
  for (const row of rows) row.forEach((value, column) => columns[column].push(value));
  return columns;
}
