import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openClientStore } from '../../lib/store/open-client-store.js';
import { openPGlite } from '../../lib/store/postgres/open-pglite.js';
import { createPGliteCluster } from '../../lib/store/postgres/pglite-initdb.js';
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

  it('runs the database with a 16MB buffer cache (not the 128MB its initdb writes)', async () => {
    const pglite = await openPGlite(join(parent, 'settings'));
    try {
      const { rows } = await pglite.query<{ shared_buffers: string }>(
        "SELECT current_setting('shared_buffers') AS shared_buffers",
      );
      expect(rows[0].shared_buffers).toBe('16MB');
    } finally {
      await pglite.close();
    }
  }, 60_000);

  it("fails with the child process's error when initdb cannot make the cluster", async () => {
    const notADirectory = join(parent, 'a-file');
    writeFileSync(notADirectory, '');
    await expect(createPGliteCluster(notADirectory, PGlite.defaultStartParams)).rejects.toThrow(
      /^PGlite initdb in .*a-file failed \(exit 1\): .+/s,
    );
  }, 60_000);
});
