/** What the store needs from a query: its rows (pg and PGlite both answer `{ rows }`). */
export interface SqlResult<Row> {
  rows: Row[];
}

/** Runs one parameterised statement ($1, $2, ...). */
export interface SqlQueryable {
  query<Row>(sql: string, params?: unknown[]): Promise<SqlResult<Row>>;
}

/**
 * The small interface that lets one SQL dialect serve both the embedded PGlite
 * and a PostgreSQL server: queries, a transaction, and closing what we own.
 */
export interface SqlDatabase extends SqlQueryable {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Releases the connection(s), unless the user owns them. */
  close(): Promise<void>;
}
