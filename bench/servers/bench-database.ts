import pg from 'pg';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { quoteSchema } from '../../lib/store/postgres/schema-name.js';

/** The local PostgreSQL the benchmark uses (trust auth, loopback only). */
export const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Seeded clients are "issued" at 1700000000 + n (from November 2023); clients
 * the benchmark registers are issued now. That tells them apart without a
 * marker column, while seeded ids look like real ones (22 base64url characters).
 */
const SEEDED_ISSUED_BEFORE = 1_750_000_000;

/** Runs `work` on a short-lived pool, so the scenario's own pool starts cold and clean. */
async function withPool<T>(work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: 1 });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

/** Drops `schema`, so every run starts from an empty store (the module migrates it back). */
export function resetSchema(schema: string): Promise<void> {
  return withPool(async (pool) => {
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`);
  });
}

/**
 * Makes `schema` hold `count` seeded clients: seeds them once, in one SQL
 * statement, and on later runs only deletes the clients earlier runs registered.
 */
export function seedSchema(schema: string, count: number): Promise<void> {
  return withPool(async (pool) => {
    await new PostgresClientStore(new PgPoolDatabase(pool, false), schema).migrate();
    const clients = `${quoteSchema(schema)}.dcr_clients`;
    await pool.query(`DELETE FROM ${clients} WHERE issued_at >= $1`, [SEEDED_ISSUED_BEFORE]);
    const { rows } = await pool.query<{ seeded: number }>(
      `SELECT count(*)::integer AS seeded FROM ${clients}`,
    );
    if (rows[0].seeded < count) {
      await pool.query(`TRUNCATE ${clients}`);
      // Rows shaped like the benchmark's own: same metadata keys, a secret hash, distinct URIs.
      await pool.query(
        `INSERT INTO ${clients}
           (client_id, metadata, issued_at, updated_at, secret_hash, secret_expires_at)
         SELECT left(translate(encode(sha256(('seed:' || n)::bytea), 'base64'), '+/', '-_'), 22),
                jsonb_build_object(
                  'redirect_uris', jsonb_build_array('https://client' || n || '.example.org/callback'),
                  'client_name', 'Seeded Client ' || n,
                  'grant_types', jsonb_build_array('authorization_code', 'refresh_token'),
                  'response_types', jsonb_build_array('code'),
                  'application_type', 'web',
                  'token_endpoint_auth_method', 'client_secret_basic'),
                1700000000 + n, 1700000000 + n,
                translate(rtrim(encode(sha256(('secret:' || n)::bytea), 'base64'), '='), '+/', '-_'),
                0
         FROM generate_series(1, $1::integer) AS n`,
        [count],
      );
    }
    // Dead rows from the previous run's clients are cleared, and the planner sees the real size.
    await pool.query(`VACUUM ANALYZE ${clients}`);
  });
}
