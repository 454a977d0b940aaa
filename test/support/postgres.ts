import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The real PostgreSQL server the tests use, as jest's global setup decided
 * (test/harness/global-setup.ts: DCR_TEST_DATABASE_URL, else the server at
 * the default address, else an embedded one started for the run). Tests that
 * need it never skip: unreachable means they fail.
 */
export const TEST_DATABASE_URL = decidedDatabaseUrl();

function decidedDatabaseUrl(): string {
  const url = process.env.DCR_TEST_DATABASE_URL;
  if (!url) throw new Error('DCR_TEST_DATABASE_URL is unset: run the tests with npm test');
  return url;
}

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

/** The pool of a describe block (or file) using useTestSchemas, and the schemas it makes. */
export interface TestSchemas {
  /** Open from beforeAll until the block's afterAll. */
  pool(): pg.Pool;
  /** A fresh schema name, dropped in the block's afterAll. */
  freshSchema(label: string): string;
}

/**
 * Specs that make schemas as they go each kept a list and dropped it at the end:
 * this registers that beforeAll/afterAll once, so no run leaves schemas behind.
 */
export function useTestSchemas(): TestSchemas {
  let pool: pg.Pool | undefined;
  const schemas: string[] = [];
  beforeAll(() => {
    pool = testPool();
  });
  afterAll(async () => {
    if (!pool) return;
    for (const schema of schemas) await dropSchema(pool, schema);
    await pool.end();
  });
  return {
    pool: () => {
      if (!pool) throw new Error('useTestSchemas: the pool is read outside beforeAll..afterAll');
      return pool;
    },
    freshSchema: (label) => {
      const schema = freshSchemaName(label);
      schemas.push(schema);
      return schema;
    },
  };
}
