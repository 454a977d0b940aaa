import 'reflect-metadata';
import { DcrModule } from '../../lib/dcr.module.js';
import type { StartServer } from '../scenario.js';
import { startNestApp } from './nest-app.js';

/** DcrModule as forRoot({}) ships it: open registration, in-memory store. */
export const startServer: StartServer = async (params) => ({
  url: (await startNestApp(DcrModule.forRoot({}), params)) + '/connect/dcr',
});
