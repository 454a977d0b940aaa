import type { ClientStore } from '../store/client-store.js';
import { PGliteDatabase } from '../store/postgres/pglite-database.js';
import { PostgresClientStore } from '../store/postgres/postgres-client-store.js';
import type { SqlDatabase } from '../store/postgres/sql-database.js';
import { MemoryProviderState } from './memory-provider-state.js';
import { MirroredSqlProviderState } from './mirrored-sql-provider-state.js';
import type { ProviderState } from './provider-state.js';
import { ProviderStateMirror } from './provider-state-mirror.js';
import { SqlProviderState } from './sql-provider-state.js';

export interface OpenProviderStateOptions {
  /** How often expired rows are deleted (database state only); 0: never (call deleteExpired yourself). Default 300. */
  sweepIntervalSeconds?: number;
  /** Where a failed sweep is reported (it is retried at the next interval). */
  onSweepError?: (error: unknown) => void;
  /** On PGlite, how many records the in-memory mirror holds. Default 10,000. */
  mirrorRecords?: number;
}

/** One mirror per PGlite database and schema: every state opened on them writes through it. */
const mirrors = new WeakMap<SqlDatabase, Map<string, ProviderStateMirror>>();

function mirrorOf(database: SqlDatabase, schema: string, maxRecords: number): ProviderStateMirror {
  let bySchema = mirrors.get(database);
  if (!bySchema) mirrors.set(database, (bySchema = new Map()));
  let mirror = bySchema.get(schema);
  if (!mirror) bySchema.set(schema, (mirror = new ProviderStateMirror(maxRecords)));
  return mirror;
}

/**
 * The provider state that fits the client store: beside the clients, in the
 * same database and schema, when the store is a PostgresClientStore (server or
 * PGlite), migrated and swept; in memory otherwise. On PGlite, which only this
 * process can open, it mirrors recent records in memory (MirroredSqlProviderState).
 */
export async function openProviderState(
  store: ClientStore,
  options: OpenProviderStateOptions = {},
): Promise<ProviderState> {
  if (!(store instanceof PostgresClientStore)) return new MemoryProviderState();
  const state =
    store.database instanceof PGliteDatabase
      ? new MirroredSqlProviderState(store.database, store.schema, {
          mirror: mirrorOf(store.database, store.schema, options.mirrorRecords ?? 10_000),
        })
      : SqlProviderState.besideClients(store);
  await state.migrate();
  const interval = options.sweepIntervalSeconds ?? 300;
  if (interval > 0) state.startSweeping(interval, options.onSweepError);
  return state;
}
