import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHost, freePort, startHost } from './host.js';

/**
 * A fresh clone has no `./.data`: the host must start on a data directory
 * that does not exist yet, whatever the registration mode (open mode once
 * failed with ENOENT on `<dir>/pglite`, protected mode happened to work).
 */
describe('sample host on a data directory that does not exist yet', () => {
  let parent: string;
  beforeAll(() => {
    buildHost();
    parent = mkdtempSync(join(tmpdir(), 'dcr-fresh-'));
  }, 120_000);
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it.each(['open', 'protected'])(
    'starts in %s mode, creates the directory and registers a client',
    async (mode) => {
      const dataDir = join(parent, mode, 'nested', '.data');
      expect(existsSync(join(parent, mode))).toBe(false);
      const host = await startHost({
        PORT: String(await freePort()),
        DCR_DATA_DIR: dataDir,
        DCR_REGISTRATION: mode,
      });
      try {
        expect(statSync(join(dataDir, 'pglite')).isDirectory()).toBe(true);
        const res = await fetch(`${host.url}/connect/dcr`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            client_name: 'fresh',
            grant_types: ['client_credentials'],
            response_types: [],
          }),
        });
        // Open mode registers anyone; protected mode wants a token: both answer, neither crashes.
        expect(res.status).toBe(mode === 'open' ? 201 : 401);
      } finally {
        await host.stop();
      }
    },
    60_000,
  );
});
