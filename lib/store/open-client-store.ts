import { Logger } from '@nestjs/common';
import type { ClientStore } from './client-store.js';
import { InMemoryClientStore } from './in-memory-client-store.js';
import { PgPoolDatabase } from './postgres/pg-pool-database.js';
import { openPGlite } from './postgres/open-pglite.js';
import { PGliteDatabase } from './postgres/pglite-database.js';
import { PostgresClientStore } from './postgres/postgres-client-store.js';
import type { SqlDatabase } from './postgres/sql-database.js';
import type { ResolvedStorage } from './store.options.js';

/**
 * Builds the store the options name, with its schema migrated. pg and PGlite
 * are loaded only when chosen, so a host using another store needn't install them.
 */
export async function openClientStore(storage: ResolvedStorage): Promise<ClientStore> {
  if (storage.kind === 'memory') return new InMemoryClientStore();
  const database = await openDatabase(storage);
  const store = new PostgresClientStore(database, storage.schema);
  try {
    await store.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  return store;
}

async function openDatabase(
  storage: Exclude<ResolvedStorage, { kind: 'memory' }>,
): Promise<SqlDatabase> {
  if (storage.kind === 'pglite') return new PGliteDatabase(await openPGlite(storage.dataDir), true);
  if ('pool' in storage) return new PgPoolDatabase(storage.pool, false);
  const { default: pg } = await import('pg');
  // Bounded waits: a database that stops answering fails requests (503) instead of hanging them.
  const pool = new pg.Pool({
    connectionString: storage.connectionString,
    max: storage.maxConnections,
    connectionTimeoutMillis: storage.timeoutMs,
    query_timeout: storage.timeoutMs,
    keepAlive: true,
  });
  // An idle connection that drops is discarded by the pool; the next query reconnects.
  const logger = new Logger('DcrModule');
  pool.on('error', (error) => logger.warn(`idle PostgreSQL connection lost: ${error.message}`));
  return new PgPoolDatabase(pool, true);
}
