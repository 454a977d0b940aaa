import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

/** Run by the child: the cluster in argv[2], by the PGlite at argv[1], with the options in argv[3] (JSON). */
const INITDB_SCRIPT = `
const { PGlite } = require(process.argv[1]);
PGlite.create(process.argv[2], JSON.parse(process.argv[3]) ?? undefined).then(
  (pglite) => pglite.close(),
  (error) => { console.error(error); process.exitCode = 1; },
);`;

/**
 * The app's @electric-sql/pglite (a peer dependency, so the copy this module
 * imports too), resolved from the app's main script or else the working
 * directory: import.meta is not used, as apps compiled to CommonJS (Jest
 * set up by `nest new`) load this package through a transform.
 */
function pgliteEntry(): string | undefined {
  for (const from of [process.argv[1], join(process.cwd(), 'index.js')]) {
    if (!from) continue;
    try {
      return createRequire(resolve(from)).resolve('@electric-sql/pglite');
    } catch {
      // Not found from there: try the next.
    }
  }
  return undefined;
}

/**
 * Creates the PostgreSQL cluster (initdb) in `directory` in a child process.
 * In this process, PGlite's initdb leaves ~430 MiB of garbage (a second
 * instance, a copy of its WASM memory, a tar of the cluster) that V8 may not
 * collect for as long as the host idles, and ~150 MiB of RSS even once it
 * does; a process that exits returns all of it. `startParams` (the small
 * buffer cache) trim the child's own peak, ~850 to ~770 MiB. False when the
 * app's PGlite can't be located: the caller's PGlite.create then makes the
 * cluster in this process.
 */
export async function createPGliteCluster(
  directory: string,
  startParams: readonly string[] | undefined,
): Promise<boolean> {
  const pglite = pgliteEntry();
  if (pglite === undefined) return false;
  const child = spawn(
    process.execPath,
    [
      '-e',
      INITDB_SCRIPT,
      '--',
      pglite,
      resolve(directory),
      JSON.stringify(startParams ? { startParams } : null),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', done);
  });
  if (code !== 0) {
    throw new Error(`PGlite initdb in ${directory} failed (exit ${code}): ${stderr.trim()}`);
  }
  return true;
}
