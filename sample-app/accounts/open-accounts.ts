import { join } from 'node:path';
import { PgPoolDatabase, PGliteDatabase, type SqlDatabase } from '../../lib/index.js';
import type { SampleConfig } from '../config.js';
import { AccountStore } from './account-store.js';

/** The host's tables live in the store's default schema. */
const SCHEMA = 'public';

/**
 * The accounts of the database the host uses (same variables): PostgreSQL
 * with DATABASE_URL, else the PGlite data directory, which only one process
 * may open: stop the host first.
 */
export async function openAccounts(
  config: SampleConfig,
): Promise<{ accounts: AccountStore; close(): Promise<void> }> {
  let database: SqlDatabase;
  if (config.databaseUrl !== undefined) {
    const { default: pg } = await import('pg');
    database = new PgPoolDatabase(
      new pg.Pool({ connectionString: config.databaseUrl, max: 1 }),
      true,
    );
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    database = new PGliteDatabase(await PGlite.create(join(config.dataDir, 'pglite')), true);
  }
  const accounts = new AccountStore(database, SCHEMA);
  try {
    await accounts.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  return { accounts, close: () => database.close() };
}
