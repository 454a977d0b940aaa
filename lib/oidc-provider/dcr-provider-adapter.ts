import type { ClientStore } from '../store/client-store.js';
import {
  clientIdMetadataLookup,
  type ClientIdMetadataClientsOptions,
} from './client-id-metadata-clients.js';
import { ClientStoreAdapter, lookupInStore, type ClientLookup } from './client-store.adapter.js';
import { MemoryProviderState } from './memory-provider-state.js';
import type { OidcAdapterFactory } from './oidc-adapter.js';
import type { ProviderState } from './provider-state.js';

export interface DcrProviderAdapterOptions {
  /**
   * Where every model but `Client` lives. Default: a new MemoryProviderState
   * (lost on restart); openProviderState() gives the database-backed one.
   */
  state?: ProviderState;
  /** How a client is found; default: the store's findById, every time (e.g. put a cache here). */
  lookupClient?: ClientLookup;
  /** Resolve URL client_ids as Client ID Metadata Documents through the module's resolver. */
  clientIdMetadata?: ClientIdMetadataClientsOptions;
}

/**
 * The `adapter` for oidc-provider's configuration: the `Client` model from the
 * DCR store (read-only), every other model from `state`. Pair it with
 * useHashedClientSecrets(provider) right after `new Provider(...)`:
 *
 *   const state = await openProviderState(store);
 *   const provider = new Provider(issuer, { ...configuration, adapter: dcrProviderAdapter(store, { state }) });
 *   useHashedClientSecrets(provider);
 */
export function dcrProviderAdapter(
  store: ClientStore,
  options: DcrProviderAdapterOptions = {},
): OidcAdapterFactory {
  const state = options.state ?? new MemoryProviderState();
  const clients = new ClientStoreAdapter(
    options.lookupClient ?? lookupInStore(store),
    options.clientIdMetadata && clientIdMetadataLookup(options.clientIdMetadata),
  );
  return (model) => (model === 'Client' ? clients : state.adapterFor(model));
}
