import 'reflect-metadata';
import { DcrModule } from '../../lib/dcr.module.js';
import type { DcrStorageOptions } from '../../lib/store/store.options.js';
import type { ServerParams, StartServer } from '../scenario.js';
import { BENCH_DATABASE_URL, resetSchema, seedSchema } from './bench-database.js';
import { startNestApp } from './nest-app.js';

/** The module's own pool from a connection string: its default size, or params.maxConnections. */
function storage(params: ServerParams, schema: string): DcrStorageOptions {
  const maxConnections =
    params.maxConnections === undefined ? undefined : Number(params.maxConnections);
  return { kind: 'postgres', connectionString: BENCH_DATABASE_URL, schema, maxConnections };
}

/**
 * DcrModule with open registration on PostgreSQL, in params.schema: emptied
 * at start, or, with params.seededClients, holding that many clients already.
 */
export const startServer: StartServer = async (params) => {
  const schema = params.schema;
  if (!schema) throw new Error('params.schema is required');
  if (params.seededClients === undefined) await resetSchema(schema);
  else await seedSchema(schema, Number(params.seededClients));
  const module = DcrModule.forRoot({
    registration: { mode: 'open', rateLimit: false },
    storage: storage(params, schema),
  });
  return { url: (await startNestApp(module, params)) + '/connect/dcr' };
};
