import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DcrModule } from '../../lib/dcr.module.js';
import type { StartServer } from '../scenario.js';
import { startNestApp } from './nest-app.js';

/**
 * DcrModule with open registration on the embedded PGlite, kept on disk in a
 * fresh temporary dataDir (as a deployment would), removed when the server exits.
 */
export const startServer: StartServer = async (params) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nestjs-dcr-bench-pglite-'));
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const module = DcrModule.forRoot({
    registration: { mode: 'open', rateLimit: false },
    storage: { kind: 'pglite', dataDir },
  });
  return { url: (await startNestApp(module, params)) + '/connect/dcr' };
};
