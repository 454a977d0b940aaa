import type { INestApplication } from '@nestjs/common';
import type pg from 'pg';
import { DcrModule } from '../../lib/dcr.module.js';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { TEST_DATABASE_URL, dropSchema, freshSchemaName, testPool } from '../support/postgres.js';
import { register } from '../support/register.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';
import { MIGRATIONS } from '../../lib/store/postgres/migrations.js';

const PER_INSTANCE = 100;

/** Two app instances, started together on one fresh schema, registering at once. */
describe.each(ADAPTERS)('two instances on one database (%s)', (adapter) => {
  const schema = freshSchemaName('twins');
  let pool: pg.Pool;
  let apps: INestApplication[];
  beforeAll(async () => {
    pool = testPool();
    // Started together: both run the migrations at once on a schema that doesn't exist yet.
    apps = await Promise.all(
      [1, 2].map(() =>
        startApp(
          adapter,
          DcrModule.forRoot({
            registration: OPEN_REGISTRATION,
            storage: { kind: 'postgres', connectionString: TEST_DATABASE_URL, schema },
          }),
        ),
      ),
    );
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await dropSchema(pool, schema);
    await pool.end();
  });

  it(`loses nothing: 2 × ${PER_INSTANCE} concurrent registrations, every client found`, async () => {
    const urls = await Promise.all(apps.map(async (app) => (await baseUrl(app)) + '/connect/dcr'));
    const results = await Promise.all(
      urls.flatMap((url) => Array.from({ length: PER_INSTANCE }, () => register(url))),
    );
    expect(results.map((result) => result.status)).toEqual(Array(2 * PER_INSTANCE).fill(201));
    const ids = results.map((result) => result.body.client_id as string);
    expect(new Set(ids).size).toBe(2 * PER_INSTANCE);

    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM "${schema}".dcr_clients`,
    );
    expect(rows[0].n).toBe(2 * PER_INSTANCE);
    const reader = new PostgresClientStore(new PgPoolDatabase(pool, false), schema);
    const found = await Promise.all(ids.map((id) => reader.findById(id)));
    expect(found.every((client, i) => client?.clientId === ids[i])).toBe(true);
    const versions = await pool.query(`SELECT version FROM "${schema}".dcr_schema_migrations`);
    expect(versions.rows).toEqual(MIGRATIONS.map(({ version }) => ({ version })));
  });
});
