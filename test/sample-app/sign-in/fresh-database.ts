import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_DATABASE_URL } from '../../support/postgres.js';

/**
 * A database of its own on the test server, for a host started as a child
 * process (the host keeps its tables in the `public` schema of DATABASE_URL).
 */
export interface FreshDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export async function createFreshDatabase(label: string): Promise<FreshDatabase> {
  const name = `dcr_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.href, max: 2 });
  return {
    url: url.href,
    pool,
    async drop() {
      await pool.end();
      const again = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.end();
    },
  };
}
