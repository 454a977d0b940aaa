import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { dropSchema, freshSchemaName, testPool } from '../support/postgres.js';
import { sampleClient } from './client-store.contract.js';

/** Ids that reach the store from requests (a path segment, a JWT's jti) can hold anything. */
describe('PostgresClientStore with caller-controlled keys', () => {
  const schema = freshSchemaName('hostile');
  let pool: pg.Pool;
  let store: PostgresClientStore;
  beforeAll(async () => {
    pool = testPool();
    store = new PostgresClientStore(new PgPoolDatabase(pool, false), schema);
    await store.migrate();
    await store.create(sampleClient('c-real'));
  });
  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('finds no client under an id PostgreSQL text cannot hold', async () => {
    expect(await store.findById('c-real\u0000')).toBeUndefined();
    expect(await store.delete('c-real\u0000')).toBe(false);
    await expect(store.markUsed('c-real\u0000', 10)).resolves.toBeUndefined();
    expect(await store.consumeInitialAccessToken('\u0000', 10)).toBeUndefined();
    expect(await store.findById('c-real')).toEqual(sampleClient('c-real'));
  });

  it.each([
    ['a jti with U+0000', 'https://iss.example|jti\u0000x'],
    // Incompressible, so it can't fit a btree entry (at most about 2.7 KB) unhashed.
    ['a 20 KB jti', 'https://iss.example|' + randomBytes(15_000).toString('base64')],
  ])('remembers %s and spots its replay', async (_label, key) => {
    expect(await store.rememberSoftwareStatementId(key, 2000, 1000)).toBe(true);
    expect(await store.rememberSoftwareStatementId(key, 2000, 1500)).toBe(false);
  });
});
