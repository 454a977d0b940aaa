import { PGlite } from '@electric-sql/pglite';
import { ReadOnlyClientModelError } from '../../lib/oidc-provider/client-store.adapter.js';
import { dcrProviderAdapter } from '../../lib/oidc-provider/dcr-provider-adapter.js';
import { MemoryProviderState } from '../../lib/oidc-provider/memory-provider-state.js';
import { openProviderState } from '../../lib/oidc-provider/open-provider-state.js';
import { SqlProviderState } from '../../lib/oidc-provider/sql-provider-state.js';
import { InMemoryClientStore } from '../../lib/store/in-memory-client-store.js';
import { PGliteDatabase } from '../../lib/store/postgres/pglite-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import type { StoredClient } from '../../lib/store/stored-client.js';
import { sampleClient } from '../store/client-store.contract.js';
import { testClock } from './provider-state.contract.js';

describe('dcrProviderAdapter', () => {
  it('serves the Client model from the store, read-only, and every other model from the state', async () => {
    const store = new InMemoryClientStore();
    await store.create(sampleClient('c1'));
    const adapter = dcrProviderAdapter(store, { state: new MemoryProviderState() });
    expect(await adapter('Client').find('c1')).toMatchObject({
      client_id: 'c1',
      client_secret: sampleClient('c1').clientSecretHash,
    });
    expect(await adapter('Client').find('c2')).toBeUndefined();
    await expect(adapter('Client').upsert('c2', {})).rejects.toBeInstanceOf(
      ReadOnlyClientModelError,
    );
    await expect(adapter('Client').destroy('c1')).rejects.toBeInstanceOf(ReadOnlyClientModelError);
    expect(await store.findById('c1')).toBeDefined();

    await adapter('Session').upsert('s1', { uid: 'u1' }, 60);
    expect(await adapter('Session').findByUid('u1')).toEqual({ uid: 'u1' });
    expect(await adapter('Client').find('s1')).toBeUndefined();
  });

  it('asks the given lookup for every client lookup, instead of the store', async () => {
    const asked: string[] = [];
    const cached = sampleClient('cached');
    const lookupClient = async (clientId: string): Promise<StoredClient | undefined> => {
      asked.push(clientId);
      return clientId === 'cached' ? cached : undefined;
    };
    const adapter = dcrProviderAdapter(new InMemoryClientStore(), { lookupClient });
    expect(await adapter('Client').find('cached')).toMatchObject({ client_id: 'cached' });
    expect(await adapter('Client').find('cached')).toMatchObject({ client_id: 'cached' });
    expect(await adapter('Client').find('other')).toBeUndefined();
    expect(asked).toEqual(['cached', 'cached', 'other']);
  });

  it('keeps state in memory when none is given, one storage per adapter', async () => {
    const store = new InMemoryClientStore();
    const first = dcrProviderAdapter(store);
    const second = dcrProviderAdapter(store);
    await first('AccessToken').upsert('t1', { grantId: 'g' }, 60);
    expect(await first('AccessToken').find('t1')).toEqual({ grantId: 'g' });
    expect(await second('AccessToken').find('t1')).toBeUndefined();
  });
});

describe('openProviderState', () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
  });
  afterAll(() => pglite.close());

  it('is in memory for a store without a database', async () => {
    expect(await openProviderState(new InMemoryClientStore())).toBeInstanceOf(MemoryProviderState);
  });

  it('is beside the clients for a PostgreSQL store, with its own migration history', async () => {
    const store = new PostgresClientStore(new PGliteDatabase(pglite, false), 'beside');
    await store.migrate();
    const state = await openProviderState(store, { sweepIntervalSeconds: 0 });
    expect(state).toBeInstanceOf(SqlProviderState);
    expect((state as SqlProviderState).database).toBe(store.database);
    const { rows } = await pglite.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'beside' ORDER BY 1`,
    );
    expect(rows.map((row) => row.table_name)).toEqual([
      'dcr_clients',
      'dcr_initial_access_tokens',
      'dcr_provider_state',
      'dcr_provider_state_migrations',
      'dcr_schema_migrations',
      'dcr_software_statement_ids',
    ]);
    // Each history keeps its own versions: the state's 1 is not the store's 1.
    expect(await store.migrate()).toEqual([]);
    expect(await (state as SqlProviderState).migrate()).toEqual([]);
    await state.adapterFor('Session').upsert('s', { uid: 'u' }, 60);
    expect(await state.adapterFor('Session').find('s')).toEqual({ uid: 'u' });
  });
});

describe('SqlProviderState sweeping', () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
  });
  afterAll(() => pglite.close());

  it('deletes expired rows on its timer until stopped', async () => {
    const clock = testClock();
    const state = new SqlProviderState(new PGliteDatabase(pglite, false), 'sweep', clock);
    await state.migrate();
    const count = async (): Promise<number> =>
      (
        await pglite.query<{ n: number }>(
          'SELECT count(*)::integer AS n FROM sweep.dcr_provider_state',
        )
      ).rows[0]!.n;
    await state.adapterFor('AccessToken').upsert('a', {}, 10);
    await state.adapterFor('AccessToken').upsert('b', {}, 1000);
    clock.advance(10);
    state.startSweeping(0.02);
    try {
      while ((await count()) !== 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await state.adapterFor('AccessToken').find('b')).toEqual({});
    } finally {
      state.stopSweeping();
    }
    clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await count()).toBe(1);
  });

  it('reports a failed sweep and stops at application shutdown', async () => {
    const closed = await PGlite.create();
    const state = new SqlProviderState(new PGliteDatabase(closed, true), 'public');
    await state.migrate();
    await closed.close();
    const errors: unknown[] = [];
    state.startSweeping(0.02, (error) => errors.push(error));
    while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    state.beforeApplicationShutdown();
    const seen = errors.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(errors.length).toBe(seen);
    expect(errors[0]).toBeInstanceOf(Error);
  });
});
