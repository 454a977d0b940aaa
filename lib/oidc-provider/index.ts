// The `nestjs-dcr/oidc-provider` entry point: the DCR store inside an
// oidc-provider (9). Only this entry loads oidc-provider; `nestjs-dcr` never does.
export { dcrProviderAdapter, type DcrProviderAdapterOptions } from './dcr-provider-adapter.js';
export { useHashedClientSecrets, type ProviderWithClientClass } from './hashed-client-secrets.js';
export { toProviderClientMetadata } from './provider-client-metadata.js';
export { reuseClientInstances, type ProviderWithClientFind } from './reused-client-instances.js';
export {
  ClientStoreAdapter,
  lookupInStore,
  ReadOnlyClientModelError,
  type ClientLookup,
} from './client-store.adapter.js';
export {
  clientIdMetadataLookup,
  toProviderCimdMetadata,
  useLoopbackPortsForUrlClients,
  type ClientIdMetadataClientsOptions,
  type ClientIdMetadataLookup,
  type ProviderWithRedirectChecks,
} from './client-id-metadata-clients.js';
export {
  DEFAULT_PROVIDER_FETCH_MAX_BYTES,
  guardedProviderFetch,
  type ProviderFetch,
} from './guarded-provider-fetch.js';
export { ProviderState } from './provider-state.js';
export { MemoryProviderState } from './memory-provider-state.js';
export { SqlProviderState, type SqlProviderStateOptions } from './sql-provider-state.js';
export {
  MirroredSqlProviderState,
  type MirroredSqlProviderStateOptions,
} from './mirrored-sql-provider-state.js';
export { ProviderStateMirror } from './provider-state-mirror.js';
export { openProviderState, type OpenProviderStateOptions } from './open-provider-state.js';
export { PROVIDER_STATE_HISTORY } from './provider-state-migrations.js';
export { ReplayedGrantError } from './replayed-grant.error.js';
export type { OidcAdapter, OidcAdapterFactory, OidcAdapterPayload } from './oidc-adapter.js';
