import type { PGlite } from '@electric-sql/pglite';
import type { SqlDatabase, SqlQueryable, SqlResult } from './sql-database.js';

/**
 * SqlDatabase over the embedded PGlite. PGlite runs one query at a time and
 * queues the rest; its transaction() holds the queue for the whole transaction.
 */
export class PGliteDatabase implements SqlDatabase {
  constructor(
    private readonly pglite: PGlite,
    private readonly ownsDatabase: boolean,
  ) {}

  async query<Row>(sql: string, params?: unknown[]): Promise<SqlResult<Row>> {
    return this.pglite.query<Row>(sql, params);
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) =>
      work({ query: <Row>(sql: string, params?: unknown[]) => tx.query<Row>(sql, params) }),
    );
  }

  async close(): Promise<void> {
    if (this.ownsDatabase && !this.pglite.closed) await this.pglite.close();
  }
}
