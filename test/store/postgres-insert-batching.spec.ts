import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { PGliteDatabase } from '../../lib/store/postgres/pglite-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import type { SqlDatabase, SqlQueryOptions } from '../../lib/store/postgres/sql-database.js';
import { ClientAlreadyExistsError, StoreUnavailableError } from '../../lib/store/store.errors.js';
import {
  TEST_DATABASE_URL,
  dropSchema,
  freshSchemaName,
  testPool,
  useTestSchemas,
} from '../support/postgres.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { sampleClient } from './client-store.contract.js';

/** The first word of every statement the store sends after `database`. */
function counting(database: SqlDatabase, statements: string[]): SqlDatabase {
  return {
    query: <Row>(sql: string, params?: unknown[], options?: SqlQueryOptions) => {
      statements.push(sql.trim().split(/\s+/)[0]);
      return database.query<Row>(sql, params, options);
    },
    transaction: (work) => database.transaction(work),
    close: () => database.close(),
  };
}

/** jsonb refuses the escaped U+0000 that JSON.stringify writes, so PostgreSQL rejects this row. */
const REFUSED_METADATA = { ...sampleClient('x').metadata, client_name: 'nul \u0000 inside' };

/** Group commit for create(), on a backend whose `open` gives a fresh, migrated, empty store. */
function describeInsertBatching(
  name: string,
  open: (database: (inner: SqlDatabase) => SqlDatabase) => Promise<PostgresClientStore>,
): void {
  describe(`create() group commit: ${name}`, () => {
    let store: PostgresClientStore;
    let statements: string[];
    beforeEach(async () => {
      statements = [];
      store = await open((inner) => counting(inner, statements));
      statements.length = 0;
    });

    it('stores many concurrent creates, in few statements, each readable', async () => {
      const clients = Array.from({ length: 450 }, (_, n) =>
        sampleClient(`c-many-${n}`, { clientIdIssuedAt: 1_700_000_000 + n }),
      );
      await Promise.all(clients.map((client) => store.create(client)));
      // At most 200 rows a statement: 450 concurrent creates take three.
      expect(statements).toEqual(['INSERT', 'INSERT', 'INSERT']);
      const found = await Promise.all(clients.map((client) => store.findById(client.clientId)));
      expect(found).toEqual(clients);
    });

    it('fails only the caller whose row PostgreSQL refuses', async () => {
      const results = await Promise.allSettled([
        store.create(sampleClient('c-good-1')),
        store.create(sampleClient('c-refused', { metadata: REFUSED_METADATA })),
        store.create(sampleClient('c-good-2')),
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const { reason } = results[1] as PromiseRejectedResult;
      expect(reason).not.toBeInstanceOf(StoreUnavailableError);
      expect(reason).not.toBeInstanceOf(ClientAlreadyExistsError);
      // The batch, then each of its rows alone.
      expect(statements).toEqual(['INSERT', 'INSERT', 'INSERT', 'INSERT']);
      expect(await store.findById('c-good-1')).toEqual(sampleClient('c-good-1'));
      expect(await store.findById('c-good-2')).toEqual(sampleClient('c-good-2'));
      expect(await store.findById('c-refused')).toBeUndefined();
    });

    it('lets exactly one of two concurrent creates with one id succeed', async () => {
      const first = sampleClient('c-twin', { clientIdIssuedAt: 1 });
      const second = sampleClient('c-twin', { clientIdIssuedAt: 2 });
      const results = await Promise.allSettled([store.create(first), store.create(second)]);
      // The later one waits for the next batch, which may reach the server first on another connection.
      const winner = results.findIndex((result) => result.status === 'fulfilled');
      const loser = results[1 - winner] as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(ClientAlreadyExistsError);
      expect(await store.findById('c-twin')).toEqual([first, second][winner]);
    });

    it('stores the second of two concurrent creates with one id when the first is refused', async () => {
      const refused = sampleClient('c-twin', { metadata: REFUSED_METADATA });
      const second = sampleClient('c-twin', { clientIdIssuedAt: 2 });
      const results = await Promise.allSettled([store.create(refused), store.create(second)]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
      expect(await store.findById('c-twin')).toEqual(second);
    });

    it('refuses a queued create whose id is already stored, and stores the rest', async () => {
      await store.create(sampleClient('c-old'));
      const results = await Promise.allSettled([
        store.create(sampleClient('c-new')),
        store.create(sampleClient('c-old', { clientIdIssuedAt: 5 })),
      ]);
      expect(results[0].status).toBe('fulfilled');
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ClientAlreadyExistsError);
      expect(await store.findById('c-old')).toEqual(sampleClient('c-old'));
      expect(await store.findById('c-new')).toEqual(sampleClient('c-new'));
    });
  });
}

describe('on a PostgreSQL server', () => {
  const { pool, freshSchema } = useTestSchemas();

  describeInsertBatching('PostgreSQL server', async (wrap) => {
    const store = new PostgresClientStore(
      wrap(new PgPoolDatabase(pool(), false)),
      freshSchema('batch'),
    );
    await store.migrate();
    return store;
  });
});

describe('on PGlite', () => {
  let pglite: PGlite;
  let count = 0;
  beforeAll(async () => {
    pglite = await PGlite.create();
  });
  afterAll(() => pglite.close());

  describeInsertBatching('PGlite', async (wrap) => {
    const store = new PostgresClientStore(wrap(new PGliteDatabase(pglite, false)), `b${++count}`);
    await store.migrate();
    return store;
  });

  it('fails every queued create with StoreUnavailableError once the database is closed', async () => {
    const closing = await PGlite.create();
    const store = new PostgresClientStore(new PGliteDatabase(closing, true));
    await store.migrate();
    const creates = ['c-1', 'c-2', 'c-3'].map((id) => store.create(sampleClient(id)));
    await store.close();
    for (const result of await Promise.allSettled(creates)) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
  });
});

/** The store reaches PostgreSQL through a proxy we cut or stall, as a failed network would. */
describe('queued creates when the connection is lost', () => {
  const schema = freshSchemaName('batchfault');
  const proxy = new TcpProxy(TEST_DATABASE_URL);
  let direct: pg.Pool;
  let proxied: pg.Pool;
  let store: PostgresClientStore;
  beforeAll(async () => {
    direct = testPool();
    await proxy.open();
    proxied = new pg.Pool({
      connectionString: proxy.url(),
      max: 4,
      connectionTimeoutMillis: 1000,
      query_timeout: 1000,
    });
    // Idle connections dropped by the cut report here; the pool replaces them.
    proxied.on('error', () => {});
    store = new PostgresClientStore(new PgPoolDatabase(proxied, true), schema);
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await proxy.cut();
    await dropSchema(direct, schema);
    await direct.end();
  });

  async function storedIds(): Promise<string[]> {
    const { rows } = await direct.query<{ client_id: string }>(
      `SELECT client_id FROM "${schema}".dcr_clients ORDER BY client_id`,
    );
    return rows.map((row) => row.client_id);
  }

  function createMany(prefix: string, count: number): Promise<PromiseSettledResult<void>[]> {
    return Promise.allSettled(
      Array.from({ length: count }, (_, n) => store.create(sampleClient(`${prefix}-${n}`))),
    );
  }

  it('fails every queued caller with StoreUnavailableError when the network is cut', async () => {
    await store.create(sampleClient('c-before'));
    const creates = createMany('c-cut', 30);
    await proxy.cut();
    const results = await creates;
    for (const result of results) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
    await proxy.open();
    await store.create(sampleClient('c-after'));
    expect(await storedIds()).toEqual(['c-after', 'c-before']);
  });

  it('fails every queued caller with StoreUnavailableError when the database hangs', async () => {
    proxy.stall();
    const results = await createMany('c-stall', 30);
    proxy.resume();
    for (const result of results) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
    await store.create(sampleClient('c-resumed'));
    expect(await storedIds()).toEqual(['c-after', 'c-before', 'c-resumed']);
  });
});
