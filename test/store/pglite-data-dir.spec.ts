import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClientStore } from '../../lib/store/open-client-store.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { resolveStoreOptions } from '../../lib/store/store.options.js';
import { sampleClient } from './client-store.contract.js';

/** The pglite storage makes its data directory, parents included, as a database server would. */
describe('pglite storage on a missing data directory', () => {
  let parent: string;
  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'dcr-pglite-dir-'));
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('creates the directory and its parents (owner only), then stores clients there', async () => {
    const dataDir = join(parent, 'a', 'b', 'pglite');
    expect(existsSync(join(parent, 'a'))).toBe(false);
    const { storage } = resolveStoreOptions({ storage: { kind: 'pglite', dataDir } }, false);
    const store = await openClientStore(storage);
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      await store.create(sampleClient('fresh-dir'));
    } finally {
      if (store instanceof PostgresClientStore) await store.close();
    }
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    const reopened = await openClientStore(storage);
    try {
      expect((await reopened.findById('fresh-dir'))?.clientId).toBe('fresh-dir');
    } finally {
      if (reopened instanceof PostgresClientStore) await reopened.close();
    }
  }, 60_000);
});
