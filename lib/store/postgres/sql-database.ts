/** What the store needs from a query: its rows (pg and PGlite both answer `{ rows }`). */
export interface SqlResult<Row> {
  rows: Row[];
}

/** How to run one statement. */
export interface SqlQueryOptions {
  /**
   * Run it as a named prepared statement, parsed and planned once per
   * connection: for the store's fixed, frequent statements. A backend may ignore it.
   */
  prepare?: boolean;
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
  query<Row>(sql: string, params?: unknown[], options?: SqlQueryOptions): Promise<SqlResult<Row>>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Releases the connection(s), unless the user owns them. */
  close(): Promise<void>;
}
