import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDatabase } from '../../lib/store/postgres/pglite-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { describeClientStoreContract, sampleClient } from './client-store.contract.js';
import { MIGRATIONS } from '../../lib/store/postgres/migrations.js';

/**
 * One PGlite per backend (it takes seconds to boot), a fresh schema per test
 * so every test starts from an empty store.
 */
function describePGliteContract(name: string, dataDir: () => string | undefined): void {
  let pglite: PGlite;
  let count = 0;
  beforeAll(async () => {
    pglite = await PGlite.create(dataDir());
  });
  afterAll(() => pglite.close());
  describeClientStoreContract(name, async () => {
    const store = new PostgresClientStore(new PGliteDatabase(pglite, false), `t${++count}`);
    await store.migrate();
    return store;
  });
}

describe('PGlite in memory', () => {
  describePGliteContract('PGlite (in memory)', () => undefined);
});

describe('PGlite on a data directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dcr-pglite-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  describePGliteContract('PGlite (data directory)', () => join(dir, 'contract'));

  it('keeps clients across a close and reopen', async () => {
    const path = join(dir, 'reopen');
    const first = new PostgresClientStore(new PGliteDatabase(await PGlite.create(path), true));
    expect(await first.migrate()).toEqual(MIGRATIONS.map((migration) => migration.version));
    await first.create(sampleClient('c-persist'));
    await first.close();

    const second = new PostgresClientStore(new PGliteDatabase(await PGlite.create(path), true));
    expect(await second.migrate()).toEqual([]);
    expect(await second.findById('c-persist')).toEqual(sampleClient('c-persist'));
    await second.close();
    // Two PGlite boots on a data directory: past 30 s on a loaded 2-core machine (Node 24 run).
  }, 90_000);
});
