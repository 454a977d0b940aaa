import { createServer } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { isConnectionFailure } from '../../lib/store/postgres/connection-failure.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../lib/store/postgres/migrations.js';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { PGliteDatabase } from '../../lib/store/postgres/pglite-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { StoreUnavailableError } from '../../lib/store/store.errors.js';
import { testPool, useTestSchemas } from '../support/postgres.js';
import { sampleClient } from './client-store.contract.js';

const ALL_VERSIONS = MIGRATIONS.map((migration) => migration.version);

async function recordedVersions(pool: pg.Pool, schema: string): Promise<number[]> {
  const { rows } = await pool.query<{ version: number }>(
    `SELECT version FROM "${schema}".dcr_schema_migrations ORDER BY version`,
  );
  return rows.map((row) => row.version);
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('migrations on the PostgreSQL server', () => {
  const { pool, freshSchema } = useTestSchemas();

  it('creates the schema, then finds nothing to do on a second run', async () => {
    const schema = freshSchema('idem');
    const store = new PostgresClientStore(new PgPoolDatabase(pool(), false), schema);
    expect(await store.migrate()).toEqual(ALL_VERSIONS);
    await store.create(sampleClient('c-kept'));
    expect(await store.migrate()).toEqual([]);
    expect(await recordedVersions(pool(), schema)).toEqual(ALL_VERSIONS);
    expect(await store.findById('c-kept')).toEqual(sampleClient('c-kept'));
    expect(Math.max(...ALL_VERSIONS)).toBe(LATEST_SCHEMA_VERSION);
  });

  it('upgrades a schema of an older version by applying only the newer steps', async () => {
    const schema = freshSchema('upgrade');
    // The state an instance of the first release left behind: version 1 only.
    await pool().query(`CREATE SCHEMA "${schema}"`);
    for (const statement of MIGRATIONS[0]!.statements(`"${schema}"`)) await pool().query(statement);
    await pool().query(
      `CREATE TABLE "${schema}".dcr_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    await pool().query(
      `INSERT INTO "${schema}".dcr_schema_migrations (version, name) VALUES (1, 'v1')`,
    );
    const store = new PostgresClientStore(new PgPoolDatabase(pool(), false), schema);
    expect(await store.migrate()).toEqual(ALL_VERSIONS.slice(1));
    expect(await recordedVersions(pool(), schema)).toEqual(ALL_VERSIONS);
  });

  it('lets instances starting together on a fresh schema all succeed, recording each version once', async () => {
    const schema = freshSchema('race');
    // Separate pools: separate sessions, as separate app instances would have.
    const pools = Array.from({ length: 4 }, () => testPool());
    try {
      const results = await Promise.all(
        pools.map((each) =>
          new PostgresClientStore(new PgPoolDatabase(each, false), schema).migrate(),
        ),
      );
      expect(results.filter((applied) => applied.length > 0)).toEqual([ALL_VERSIONS]);
      expect(results.filter((applied) => applied.length === 0)).toHaveLength(pools.length - 1);
      expect(await recordedVersions(pool(), schema)).toEqual(ALL_VERSIONS);
    } finally {
      await Promise.all(pools.map((each) => each.end()));
    }
  });

  it('migrates into a schema that already exists', async () => {
    const schema = freshSchema('existing');
    await pool().query(`CREATE SCHEMA "${schema}"`);
    const store = new PostgresClientStore(new PgPoolDatabase(pool(), false), schema);
    expect(await store.migrate()).toEqual(ALL_VERSIONS);
  });

  it('leaves a pool the user owns open when the store closes', async () => {
    const schema = freshSchema('owned');
    const store = new PostgresClientStore(new PgPoolDatabase(pool(), false), schema);
    await store.migrate();
    await store.close();
    await expect(pool().query('SELECT 1')).resolves.toBeDefined();
  });

  it('ends a pool it owns when it closes', async () => {
    const own = testPool();
    const store = new PostgresClientStore(new PgPoolDatabase(own, true), freshSchema('ends'));
    await store.migrate();
    await store.close();
    expect(own.ended).toBe(true);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('migrations on PGlite', () => {
  it('is idempotent', async () => {
    const pglite = await PGlite.create();
    const store = new PostgresClientStore(new PGliteDatabase(pglite, true), 'dcr');
    expect(await store.migrate()).toEqual(ALL_VERSIONS);
    expect(await store.migrate()).toEqual([]);
    const { rows } = await pglite.query<{ n: number }>(
      'SELECT count(*)::integer AS n FROM dcr.dcr_schema_migrations',
    );
    expect(rows[0].n).toBe(ALL_VERSIONS.length);
    await store.close();
    expect(pglite.closed).toBe(true);
  });
});

describe('a database out of reach', () => {
  it('makes every store call reject with StoreUnavailableError', async () => {
    const pool = new pg.Pool({
      connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/test`,
      connectionTimeoutMillis: 2000,
    });
    const store = new PostgresClientStore(new PgPoolDatabase(pool, true));
    try {
      await expect(store.migrate()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.create(sampleClient('c-lost'))).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      await expect(store.findById('c-lost')).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });

  it('tells a dropped session from a wrong statement', async () => {
    const pool = testPool();
    try {
      const wrong = await pool.query('SELECT * FROM no_such_table_here').catch((e: Error) => e);
      expect(isConnectionFailure(wrong)).toBe(false);

      const victim = await pool.connect();
      victim.on('error', () => {});
      const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      const dropped = await victim.query('SELECT 1').catch((e: Error) => e);
      victim.release(true);
      expect(dropped).toBeInstanceOf(Error);
      expect(isConnectionFailure(dropped)).toBe(true);
      expect(isConnectionFailure(new TypeError('a bug'))).toBe(false);
    } finally {
      await pool.end();
    }
  });
});
