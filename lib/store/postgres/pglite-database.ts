import type { SqlDatabase, SqlQueryable, SqlResult } from './sql-database.js';

/** The parts of an `@electric-sql/pglite` PGlite the store uses (typed here so hosts needn't install it). */
export interface PGliteLike {
  query<Row>(sql: string, params?: unknown[]): Promise<SqlResult<Row>>;
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/**
 * SqlDatabase over the embedded PGlite. PGlite runs one query at a time and
 * queues the rest; its transaction() holds the queue for the whole transaction.
 */
export class PGliteDatabase implements SqlDatabase {
  constructor(
    private readonly pglite: PGliteLike,
    private readonly ownsDatabase: boolean,
  ) {}

  /** Ignores `prepare`: PGlite's query() has no named statements. */
  query<Row>(sql: string, params?: unknown[]): Promise<SqlResult<Row>> {
    return this.pglite.query<Row>(sql, params);
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction(work);
  }

  async close(): Promise<void> {
    if (this.ownsDatabase && !this.pglite.closed) await this.pglite.close();
  }
}
