import type { SqlDatabase, SqlQueryable, SqlResult } from './sql-database.js';

/** A connection checked out of a pool (what `pg.PoolClient` offers). */
export interface PgPoolClientLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Passing an error destroys the connection instead of returning it to the pool. */
  release(error?: Error | boolean): void;
}

/** The parts of a `pg.Pool` the store uses; any `new pg.Pool(...)` fits. */
export interface PgPoolLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  connect(): Promise<PgPoolClientLike>;
  end(): Promise<void>;
}

/** SqlDatabase over a node-postgres pool; transactions run on one checked-out connection. */
export class PgPoolDatabase implements SqlDatabase {
  constructor(
    private readonly pool: PgPoolLike,
    private readonly ownsPool: boolean,
  ) {}

  async query<Row>(sql: string, params?: unknown[]): Promise<SqlResult<Row>> {
    return (await this.pool.query(sql, params)) as SqlResult<Row>;
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: SqlQueryable = {
      query: async <Row>(sql: string, params?: unknown[]) =>
        (await client.query(sql, params)) as SqlResult<Row>,
    };
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // Dropping the connection rolls the transaction back, even when the socket is what failed.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  /** Ends the pool only when we created it: a pool the user passed in is theirs to end. */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
