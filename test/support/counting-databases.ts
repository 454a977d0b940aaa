import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { PGliteDatabase } from '../../lib/store/postgres/pglite-database.js';
import type { SqlQueryOptions, SqlResult } from '../../lib/store/postgres/sql-database.js';

// The real databases, counting the statements sent to them: how a test sees
// what a cache or a batch saved.

export class CountingPGliteDatabase extends PGliteDatabase {
  statements = 0;

  override query<Row>(
    sql: string,
    params?: unknown[],
    options?: SqlQueryOptions,
  ): Promise<SqlResult<Row>> {
    this.statements++;
    return super.query<Row>(sql, params, options);
  }
}

export class CountingPgDatabase extends PgPoolDatabase {
  statements = 0;

  override query<Row>(
    sql: string,
    params?: unknown[],
    options?: SqlQueryOptions,
  ): Promise<SqlResult<Row>> {
    this.statements++;
    return super.query<Row>(sql, params, options);
  }
}
