import type pg from 'pg';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { dropSchema, freshSchemaName, testPool } from '../support/postgres.js';
import { describeClientStoreContract } from './client-store.contract.js';

// The real PostgreSQL server; each test gets a fresh schema so parallel workers never collide.
let pool: pg.Pool;
const schemas = new Map<PostgresClientStore, string>();
beforeAll(() => {
  pool = testPool();
});
afterAll(() => pool.end());

describeClientStoreContract(
  'PostgreSQL server',
  async () => {
    const schema = freshSchemaName('contract');
    const store = new PostgresClientStore(new PgPoolDatabase(pool, false), schema);
    await store.migrate();
    schemas.set(store, schema);
    return store;
  },
  async (store) => {
    await (store as PostgresClientStore).close();
    await dropSchema(pool, schemas.get(store as PostgresClientStore) as string);
  },
);
