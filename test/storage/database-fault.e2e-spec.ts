import type { INestApplication } from '@nestjs/common';
import type pg from 'pg';
import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { TEST_DATABASE_URL, dropSchema, freshSchemaName, testPool } from '../support/postgres.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { register } from '../support/register.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

/** The app reaches PostgreSQL through a proxy we cut and restore, as a network failure would. */
describe.each(ADAPTERS)('database cut and restored (%s)', (adapter) => {
  const schema = freshSchemaName('fault');
  const proxy = new TcpProxy(TEST_DATABASE_URL);
  let pool: pg.Pool;
  let app: INestApplication | undefined;
  let url: string;
  beforeAll(async () => {
    pool = testPool();
    await proxy.open();
    app = await startApp(
      adapter,
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        storage: { kind: 'postgres', connectionString: proxy.url(), schema, timeoutMs: 2000 },
      }),
    );
    url = (await baseUrl(app)) + '/connect/dcr';
  });
  afterAll(async () => {
    // The proxy closes even when the app never started (a database down at start-up):
    // a listening proxy left behind kept jest from ever exiting.
    try {
      await app?.close();
    } finally {
      await proxy.cut();
      await dropSchema(pool, schema).finally(() => pool.end());
    }
  });

  async function storedIds(): Promise<string[]> {
    const { rows } = await pool.query<{ client_id: string }>(
      `SELECT client_id FROM "${schema}".dcr_clients`,
    );
    return rows.map((row) => row.client_id).sort();
  }

  it('answers 503 temporarily_unavailable while cut, and 201 again once restored', async () => {
    const before = await register(url);
    expect(before.status).toBe(201);

    await proxy.cut();
    const during = await register(url);
    expect(during.status).toBe(503);
    expect(during.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.any(String),
    });
    expect(during.headers.get('retry-after')).toBe('5');
    expect(during.headers.get('cache-control')).toBe('no-store');
    expect(during.text).not.toMatch(/stack|ECONNREFUSED|Connection terminated|\n\s+at /);

    await proxy.open();
    const after = await register(url);
    expect(after.status).toBe(201);

    expect(await storedIds()).toEqual([before.body.client_id, after.body.client_id].sort());
  });

  it('answers 503 while the database hangs, instead of hanging with it, and 201 once it answers', async () => {
    const kept = await storedIds();
    proxy.stall();
    const during = await register(url);
    expect(during.status).toBe(503);
    expect(during.body.error).toBe('temporarily_unavailable');

    proxy.resume();
    const after = await register(url);
    expect(after.status).toBe(201);
    expect(await storedIds()).toEqual([...kept, after.body.client_id].sort());
  });
});
