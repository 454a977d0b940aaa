import { createHash } from 'node:crypto';
import { PgNotificationListener, type PgNotification } from './pg-notification-listener.js';
import type {
  SqlDatabase,
  SqlListener,
  SqlNotificationHandler,
  SqlQueryable,
  SqlQueryOptions,
  SqlResult,
} from './sql-database.js';

/** A statement with its parameters, optionally named to be prepared (pg's `QueryConfig`). */
export interface PgQueryConfig {
  text: string;
  values?: unknown[];
  name?: string;
}

/** A connection checked out of a pool (what `pg.PoolClient` offers). */
export interface PgPoolClientLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Passing an error destroys the connection instead of returning it to the pool. */
  release(error?: Error | boolean): void;
  /** For LISTEN (see listen()). */
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

/** The parts of a `pg.Pool` the store uses; any `new pg.Pool(...)` fits. */
export interface PgPoolLike {
  query(sql: string | PgQueryConfig, params?: unknown[]): Promise<{ rows: unknown[] }>;
  connect(): Promise<PgPoolClientLike>;
  end(): Promise<void>;
}

/**
 * A prepared statement's name, derived from its text: pg refuses one name for
 * two texts, and the same SQL in another schema is another text. The prefix
 * keeps clear of names the owner of a shared pool may use.
 */
function statementName(sql: string): string {
  return 'dcr_' + createHash('sha256').update(sql).digest('hex').slice(0, 32);
}

/** SqlDatabase over a node-postgres pool; transactions run on one checked-out connection. */
export class PgPoolDatabase implements SqlDatabase {
  private readonly statementNames = new Map<string, string>();

  constructor(
    private readonly pool: PgPoolLike,
    private readonly ownsPool: boolean,
  ) {}

  async query<Row>(
    sql: string,
    params?: unknown[],
    options?: SqlQueryOptions,
  ): Promise<SqlResult<Row>> {
    const result = options?.prepare
      ? await this.pool.query({ name: this.nameOf(sql), text: sql, values: params })
      : await this.pool.query(sql, params);
    return result as SqlResult<Row>;
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

  /** Holds one of the pool's connections for as long as the listener lives. */
  listen(channel: string, handler: SqlNotificationHandler): SqlListener {
    return new PgNotificationListener(() => this.pool.connect(), channel, handler);
  }

  /** Ends the pool only when we created it: a pool the user passed in is theirs to end. */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  /** Hashed once per distinct text: the store sends a handful of texts, over and over. */
  private nameOf(sql: string): string {
    let name = this.statementNames.get(sql);
    if (name === undefined) {
      name = statementName(sql);
      this.statementNames.set(sql, name);
    }
    return name;
  }
}
