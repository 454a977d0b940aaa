import pg from 'pg';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { freeLoopbackPort, provideTestDatabase } from './global-setup.js';

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT 1 + 1 AS n');
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/**
 * How `npm test` gets its PostgreSQL on a machine where nothing listens at the
 * default address: the harness starts a real server, a query works, and stop()
 * takes it away again.
 */
describe('test database harness', () => {
  it('starts embedded PostgreSQL when nothing answers at the default address, and stops it', async () => {
    const defaultUrl = `postgres://postgres@127.0.0.1:${await freeLoopbackPort()}/test`;
    const database = await provideTestDatabase({ defaultUrl });
    let stopped = false;
    try {
      expect(database.source).toBe('embedded');
      expect(new URL(database.url).pathname).toBe('/test');
      expect(database.url).not.toBe(defaultUrl);
      expect(await selectOne(database.url)).toBe(2);
      await database.stop();
      stopped = true;
      await expect(selectOne(database.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      if (!stopped) await database.stop();
    }
  }, 120_000);

  it('uses the server at the default address when one answers', async () => {
    const database = await provideTestDatabase({ defaultUrl: TEST_DATABASE_URL });
    expect(database).toMatchObject({ source: 'default', url: TEST_DATABASE_URL });
    expect(await selectOne(database.url)).toBe(2);
  });

  it('takes DCR_TEST_DATABASE_URL as given, without probing it', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freeLoopbackPort()}/elsewhere`;
    await expect(provideTestDatabase({ url })).resolves.toMatchObject({ source: 'env', url });
  });

  it('fails loudly when the default address answers but refuses the database', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = '/dcr_no_such_database';
    await expect(provideTestDatabase({ defaultUrl: url.toString() })).rejects.toThrow(
      /answers but fails: .*dcr_no_such_database/,
    );
  });
});
