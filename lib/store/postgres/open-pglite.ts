import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createPGliteCluster } from './pglite-initdb.js';
import type { PGliteLike } from './pglite-database.js';

/**
 * The buffer cache of the embedded database. PostgreSQL's 128MB default lives
 * in the process's WASM memory, and is touched at start-up whether used or
 * not (~140 MiB of RSS); the store's tables are small, and what falls out of
 * the cache is read back from the OS page cache.
 */
const SHARED_BUFFERS = '16MB';

/**
 * Opens an embedded PGlite on `dataDir` (a directory, `file://...`, or a
 * backend such as `memory://`; none: in memory), making the directory, and
 * the database cluster in it on first use, in a short-lived child process
 * (in this one when the app's PGlite is not found from its main script or
 * working directory).
 */
export async function openPGlite(dataDir: string | undefined): Promise<PGliteLike> {
  const { PGlite } = await import('@electric-sql/pglite');
  // An older PGlite without defaultStartParams to extend keeps its default buffer cache.
  const defaults = (PGlite as { defaultStartParams?: readonly string[] }).defaultStartParams;
  const startParams = defaults && [...defaults, '-c', `shared_buffers=${SHARED_BUFFERS}`];
  const directory = localDirectory(dataDir);
  if (directory) {
    // PGlite makes only the last path segment: a fresh `./.data/pglite` failed with ENOENT.
    await mkdir(directory, { recursive: true, mode: 0o700 });
    if (!existsSync(join(directory, 'PG_VERSION'))) {
      await createPGliteCluster(directory, startParams);
    }
  }
  return PGlite.create(dataDir, startParams && { startParams });
}

/**
 * The filesystem directory a PGlite dataDir names: a plain path or `file://`;
 * none for memory and the browser backends (`memory://`, `idb://`, ...).
 */
function localDirectory(dataDir: string | undefined): string | undefined {
  if (!dataDir) return undefined;
  if (dataDir.startsWith('file://')) return dataDir.slice('file://'.length) || undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(dataDir) ? undefined : dataDir;
}
