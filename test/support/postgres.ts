import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The real PostgreSQL server the tests use (this machine kind runs one; CI
 * starts it). Tests that need it never skip: unreachable means they fail.
 */
export const TEST_DATABASE_URL =
  process.env.DCR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other test run or jest worker uses. */
export function freshSchemaName(label: string): string {
  return `dcr_test_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export function testPool(connectionString = TEST_DATABASE_URL): pg.Pool {
  return new pg.Pool({ connectionString, max: 4 });
}

export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
