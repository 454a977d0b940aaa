import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openPGlite, PgPoolDatabase, PGliteDatabase, type SqlDatabase } from '../../lib/index.js';
import type { SampleConfig } from '../config.js';
import { AccountInputError } from './account.js';
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
    const dataDir = join(config.dataDir, 'pglite');
    // PGlite writes postmaster.pid while a process has the directory open (and removes it on
    // close); a second writer would corrupt it, as PGlite takes no lock of its own.
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      throw new AccountInputError(
        `${dataDir} is open in another process (the host?): stop it first. If none runs, ` +
          'a crash left postmaster.pid behind: starting and stopping the host clears it.',
      );
    }
    // As the host opens it (its settings; a fresh directory made as the host makes it).
    database = new PGliteDatabase(await openPGlite(dataDir), true);
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
