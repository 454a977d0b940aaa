import 'reflect-metadata';
import { DcrModule } from '../../lib/dcr.module.js';
import type { StartServer } from '../scenario.js';
import { startNestApp } from './nest-app.js';

/** DcrModule with open registration (no per-address limit: all load comes from 127.0.0.1), in-memory store. */
export const startServer: StartServer = async (params) => ({
  url:
    (await startNestApp(
      DcrModule.forRoot({ registration: { mode: 'open', rateLimit: false } }),
      params,
    )) + '/connect/dcr',
});
