import type { INestApplication } from '@nestjs/common';
import type pg from 'pg';
import { DcrModule } from '../../lib/dcr.module.js';
import type { PgPoolLike } from '../../lib/store/postgres/pg-pool-database.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { dropSchema, freshSchemaName, testPool } from '../support/postgres.js';
import { register } from '../support/register.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

/** What a registration costs the database: statements sent outside start-up's migration. */
describe.each(ADAPTERS)('database round trips (%s)', (adapter) => {
  const schema = freshSchemaName('trips');
  let pool: pg.Pool;
  let app: INestApplication;
  const statements: string[] = [];
  beforeAll(async () => {
    pool = testPool();
    const counting: PgPoolLike = {
      query: (sql, params) => {
        const text = typeof sql === 'string' ? sql : sql.text;
        statements.push(text.trim().split(/\s+/)[0]);
        return typeof sql === 'string' ? pool.query(sql, params) : pool.query(sql);
      },
      connect: () => pool.connect(),
      end: () => pool.end(),
    };
    app = await startApp(
      adapter,
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        storage: { kind: 'postgres', pool: counting, schema },
      }),
    );
  });
  afterAll(async () => {
    await app.close();
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('registers a client with one INSERT', async () => {
    statements.length = 0;
    const { status } = await register((await baseUrl(app)) + '/connect/dcr');
    expect(status).toBe(201);
    expect(statements).toEqual(['INSERT']);
  });
});
