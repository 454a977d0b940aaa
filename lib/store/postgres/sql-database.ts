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

/** Told of the notifications on one channel (PostgreSQL LISTEN / NOTIFY). */
export interface SqlNotificationHandler {
  notification(payload: string): void;
  /** False when the listening connection is lost (notifications may be missed), true once listening again. */
  listening(live: boolean): void;
}

/** A LISTEN that lasts until closed, reconnecting when its connection drops. */
export interface SqlListener {
  close(): Promise<void>;
}

/**
 * The small interface that lets one SQL dialect serve both the embedded PGlite
 * and a PostgreSQL server: queries, a transaction, and closing what we own.
 */
export interface SqlDatabase extends SqlQueryable {
  query<Row>(sql: string, params?: unknown[], options?: SqlQueryOptions): Promise<SqlResult<Row>>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Listens on `channel` (a plain identifier) on a connection of its own.
   * Absent where one process holds all the data (PGlite): nothing to hear.
   */
  listen?(channel: string, handler: SqlNotificationHandler): SqlListener;
  /** Releases the connection(s), unless the user owns them. */
  close(): Promise<void>;
}
