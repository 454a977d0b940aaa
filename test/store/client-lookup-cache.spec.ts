import { createHash, randomBytes } from 'node:crypto';
import { ClientLookupCache } from '../../lib/store/client-lookup-cache.js';
import { InMemoryClientStore } from '../../lib/store/in-memory-client-store.js';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import type { StoredClient } from '../../lib/store/stored-client.js';
import { testPool, useTestSchemas } from '../support/postgres.js';
import { sampleClient } from './client-store.contract.js';

/** An in-memory store that counts the reads that reach it. */
class CountingStore extends InMemoryClientStore {
  reads = 0;
  override findById(clientId: string): Promise<StoredClient | undefined> {
    this.reads++;
    return super.findById(clientId);
  }
}

/** A store that can't tell of changes (ClientStore's default watchClientChanges). */
class UnwatchedStore extends CountingStore {
  override watchClientChanges(): undefined {
    return undefined;
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

describe('ClientLookupCache (in-memory store)', () => {
  let store: CountingStore;
  let cache: ClientLookupCache;
  beforeEach(() => {
    store = new CountingStore();
  });
  afterEach(() => cache.close());

  it('reads a client once, then answers from memory with a copy of its own', async () => {
    cache = new ClientLookupCache(store);
    await store.create(sampleClient('c1'));
    const first = await cache.findById('c1');
    const second = (await cache.findById('c1')) as StoredClient;
    expect(second).toEqual(sampleClient('c1'));
    expect(store.reads).toBe(1);
    second.metadata.client_name = 'changed';
    expect((await cache.findById('c1'))?.metadata.client_name).toBe('Contract');
    expect(first).not.toBe(second);
  });

  it('shares its own frozen entry through findShared, the same object until the client changes', async () => {
    cache = new ClientLookupCache(store);
    await store.create(sampleClient('c1'));
    const shared = (await cache.findShared('c1'))!;
    expect(await cache.findShared('c1')).toBe(shared);
    expect(shared).toEqual(sampleClient('c1'));
    expect(Object.isFrozen(shared) && Object.isFrozen(shared.metadata)).toBe(true);
    expect(() => {
      (shared.metadata as { client_name?: string }).client_name = 'changed';
    }).toThrow(TypeError);
    // findById still hands out a copy that the caller may change.
    const copy = (await cache.findById('c1'))!;
    copy.metadata.client_name = 'mine';
    expect((await cache.findShared('c1'))?.metadata.client_name).toBe('Contract');
    expect(store.reads).toBe(1);
    const renamed = sampleClient('c1');
    renamed.metadata.client_name = 'New';
    await store.replace(renamed);
    const renewed = await cache.findShared('c1');
    expect(renewed).not.toBe(shared);
    expect(renewed?.metadata.client_name).toBe('New');
  });

  it('does not freeze what the store handed out', async () => {
    const handedOut: StoredClient[] = [];
    const watching = new (class extends CountingStore {
      override async findById(clientId: string): Promise<StoredClient | undefined> {
        const client = await super.findById(clientId);
        if (client) handedOut.push(client);
        return client;
      }
    })();
    cache = new ClientLookupCache(watching);
    await watching.create(sampleClient('c1'));
    await cache.findShared('c1');
    expect(handedOut).toHaveLength(1);
    expect(Object.isFrozen(handedOut[0])).toBe(false);
    expect(Object.isFrozen(handedOut[0].metadata)).toBe(false);
  });

  it('shares one read between concurrent lookups of an id', async () => {
    cache = new ClientLookupCache(store);
    await store.create(sampleClient('c1'));
    const found = await Promise.all([1, 2, 3, 4].map(() => cache.findById('c1')));
    expect(found.every((client) => client?.clientId === 'c1')).toBe(true);
    expect(store.reads).toBe(1);
  });

  it('remembers unknown ids, and forgets one when a client is created with it', async () => {
    cache = new ClientLookupCache(store);
    expect(await cache.findById('later')).toBeUndefined();
    expect(await cache.findById('later')).toBeUndefined();
    expect(store.reads).toBe(1);
    await store.create(sampleClient('later'));
    expect((await cache.findById('later'))?.clientId).toBe('later');
  });

  it('never lets unknown ids push registered clients out', async () => {
    cache = new ClientLookupCache(store, { maxClients: 20, maxUnknownIds: 50 });
    const ids = Array.from({ length: 20 }, (_, n) => `real-${n}`);
    for (const id of ids) await store.create(sampleClient(id));
    for (const id of ids) await cache.findById(id);
    // A flood of random ids, far more than either bound.
    for (let n = 0; n < 2_000; n++) {
      expect(await cache.findById(randomBytes(16).toString('base64url'))).toBeUndefined();
    }
    expect(cache.size).toEqual({ clients: 20, unknownIds: 50 });
    const reads = store.reads;
    for (const id of ids) expect((await cache.findById(id))?.clientId).toBe(id);
    expect(store.reads).toBe(reads);
  });

  it('does not remember very long unknown ids', async () => {
    cache = new ClientLookupCache(store);
    await cache.findById('x'.repeat(10_000));
    expect(cache.size.unknownIds).toBe(0);
  });

  it('sees a replaced secret and a deletion at once', async () => {
    cache = new ClientLookupCache(store);
    await store.create(sampleClient('c1', { clientSecretHash: 'old' }));
    expect((await cache.findById('c1'))?.clientSecretHash).toBe('old');
    await store.replace(sampleClient('c1', { clientSecretHash: 'new' }));
    expect((await cache.findById('c1'))?.clientSecretHash).toBe('new');
    await store.delete('c1');
    expect(await cache.findById('c1')).toBeUndefined();
  });

  it('does not keep the answer of a read that a change overtook', async () => {
    cache = new ClientLookupCache(store);
    await store.create(sampleClient('c1', { clientSecretHash: 'old' }));
    const inFlight = cache.findById('c1');
    await store.replace(sampleClient('c1', { clientSecretHash: 'new' }));
    expect((await inFlight)?.clientSecretHash).toBe('old');
    expect((await cache.findById('c1'))?.clientSecretHash).toBe('new');
  });

  it('reads again after maxAgeMs', async () => {
    cache = new ClientLookupCache(store, { maxAgeMs: 30 });
    await store.create(sampleClient('c1'));
    await cache.findById('c1');
    await new Promise((resolve) => setTimeout(resolve, 40));
    await cache.findById('c1');
    expect(store.reads).toBe(2);
  });

  it('caches nothing in front of a store that cannot tell of changes', async () => {
    const unwatched = new UnwatchedStore();
    cache = new ClientLookupCache(unwatched);
    await unwatched.create(sampleClient('c1'));
    await cache.findById('c1');
    await cache.findById('c1');
    expect(unwatched.reads).toBe(2);
  });

  it('refuses bounds that are not positive integers', () => {
    cache = new ClientLookupCache(store);
    expect(() => new ClientLookupCache(store, { maxClients: 0 })).toThrow(/maxClients/);
    expect(() => new ClientLookupCache(store, { maxAgeMs: 1.5 })).toThrow(/maxAgeMs/);
  });
});

describe('ClientLookupCache across two instances on one PostgreSQL database', () => {
  const schemas = useTestSchemas();
  let schema: string;
  let writerPool: ReturnType<typeof testPool>;
  let readerPool: ReturnType<typeof testPool>;
  let writer: PostgresClientStore;
  let reader: PostgresClientStore;
  let cache: ClientLookupCache;

  beforeEach(async () => {
    schema = schemas.freshSchema('lookup_cache');
    // Two pools, as two host processes would have.
    writerPool = testPool();
    readerPool = testPool();
    writer = new PostgresClientStore(new PgPoolDatabase(writerPool, true), schema);
    await writer.migrate();
    reader = new PostgresClientStore(new PgPoolDatabase(readerPool, true), schema);
    cache = new ClientLookupCache(reader);
    // Live once the reader's LISTEN is in place.
    await until(async () => {
      await cache.findById('warm-up');
      return cache.size.unknownIds === 1;
    }, 5_000);
  });

  afterEach(async () => {
    cache.close();
    await reader.close();
    await writer.close();
  });

  /** Until the cache holds the client: the NOTIFY of its creation may overtake the first read. */
  async function cached(clientId: string): Promise<void> {
    await until(async () => {
      await cache.findById(clientId);
      return cache.size.clients === 1;
    }, 2_000);
  }

  it('sees a deletion made at the other instance within one second', async () => {
    await writer.create(sampleClient('c-del'));
    await cached('c-del');
    await writer.delete('c-del');
    const elapsed = await until(async () => (await cache.findById('c-del')) === undefined, 1_000);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('sees a new secret from the other instance, and no longer the old one', async () => {
    await writer.create(sampleClient('c-rot', { clientSecretHash: 'old-hash' }));
    await cached('c-rot');
    expect((await cache.findById('c-rot'))?.clientSecretHash).toBe('old-hash');
    await writer.replace(sampleClient('c-rot', { clientSecretHash: 'new-hash' }));
    await until(
      async () => (await cache.findById('c-rot'))?.clientSecretHash === 'new-hash',
      1_000,
    );
    expect((await cache.findById('c-rot'))?.clientSecretHash).toBe('new-hash');
  });

  it('sees a client created at the other instance whose id it held as unknown', async () => {
    expect(await cache.findById('c-new')).toBeUndefined();
    expect(cache.size.unknownIds).toBe(2);
    await writer.create(sampleClient('c-new'));
    await until(async () => (await cache.findById('c-new')) !== undefined, 1_000);
  });

  it('forgets everything when the other instance prunes', async () => {
    await writer.create(sampleClient('c-old', { clientIdIssuedAt: 100 }));
    await cached('c-old');
    expect(await writer.deleteUnusedSince(1_000)).toBe(1);
    await until(async () => (await cache.findById('c-old')) === undefined, 1_000);
  });

  it('stops caching when its LISTEN connection dies, and caches again once it is back', async () => {
    await writer.create(sampleClient('c-conn', { clientSecretHash: 'before' }));
    await cached('c-conn');
    const channel = 'dcr_clients_' + createHash('sha256').update(schema).digest('hex').slice(0, 24);
    // The reader's listening connection, found by its channel (its last statement is the LISTEN).
    const { rowCount } = await schemas
      .pool()
      .query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`, [
        `LISTEN ${channel}`,
      ]);
    expect(rowCount).toBe(1);
    await writer.replace(sampleClient('c-conn', { clientSecretHash: 'after' }));
    // Whether the loss is noticed before or after the write, the new secret is what it sees.
    await until(async () => (await cache.findById('c-conn'))?.clientSecretHash === 'after', 2_000);
    // Back to caching: a change is again seen through NOTIFY.
    await cached('c-conn');
    await writer.delete('c-conn');
    await until(async () => (await cache.findById('c-conn')) === undefined, 1_000);
  });
});
