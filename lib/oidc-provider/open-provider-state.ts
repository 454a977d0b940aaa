import type { ClientStore } from '../store/client-store.js';
import { PostgresClientStore } from '../store/postgres/postgres-client-store.js';
import { MemoryProviderState } from './memory-provider-state.js';
import type { ProviderState } from './provider-state.js';
import { SqlProviderState } from './sql-provider-state.js';

export interface OpenProviderStateOptions {
  /** How often expired rows are deleted (database state only); 0: never (call deleteExpired yourself). Default 300. */
  sweepIntervalSeconds?: number;
  /** Where a failed sweep is reported (it is retried at the next interval). */
  onSweepError?: (error: unknown) => void;
}

/**
 * The provider state that fits the client store: beside the clients, in the
 * same database and schema, when the store is a PostgresClientStore (server or
 * PGlite), migrated and swept; in memory otherwise.
 */
export async function openProviderState(
  store: ClientStore,
  options: OpenProviderStateOptions = {},
): Promise<ProviderState> {
  if (!(store instanceof PostgresClientStore)) return new MemoryProviderState();
  const state = SqlProviderState.besideClients(store);
  await state.migrate();
  const interval = options.sweepIntervalSeconds ?? 300;
  if (interval > 0) state.startSweeping(interval, options.onSweepError);
  return state;
}
