import { PGlitePreparedStatements, speaksProtocol } from './pglite-prepared-statements.js';
import type { SqlDatabase, SqlQueryable, SqlQueryOptions, SqlResult } from './sql-database.js';

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
 * `prepare` runs a statement as a named prepared statement, where the PGlite
 * offers its protocol (PGlitePreparedStatements), and through query() otherwise.
 */
export class PGliteDatabase implements SqlDatabase {
  private readonly prepared: PGlitePreparedStatements | undefined;

  constructor(
    private readonly pglite: PGliteLike,
    private readonly ownsDatabase: boolean,
  ) {
    this.prepared = speaksProtocol(pglite) ? PGlitePreparedStatements.of(pglite) : undefined;
  }

  query<Row>(sql: string, params?: unknown[], options?: SqlQueryOptions): Promise<SqlResult<Row>> {
    return options?.prepare && this.prepared
      ? this.prepared.query<Row>(sql, params)
      : this.pglite.query<Row>(sql, params);
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction(work);
  }

  async close(): Promise<void> {
    if (this.ownsDatabase && !this.pglite.closed) await this.pglite.close();
  }
}
