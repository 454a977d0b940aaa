import { looksLikeClientIdUrl } from '../client-id-metadata/client-id-url.js';
import type { OidcAdapterFactory, OidcAdapterPayload } from './oidc-adapter.js';

/** The part of an oidc-provider `Provider` that loads clients: its Client class. */
export interface ProviderWithClientFind {
  readonly Client: {
    new (metadata: OidcAdapterPayload): object;
    find(id: string): Promise<object | undefined>;
  };
}

/**
 * Makes `provider.Client.find` hand back the Client it built before for as
 * long as `adapter` (the provider's) answers the same metadata object, as dcrProviderAdapter
 * does while its lookup answers the same client (ClientLookupCache.findShared).
 * oidc-provider instead hashes the metadata on every lookup to find the Client
 * it memoised, and the token endpoint looks its client up on every request.
 * A changed or deleted client gets a new object or none from the adapter, so
 * it is never served from here. URL client_ids (Client ID Metadata Documents)
 * and metadata with a sector_identifier_uri (validated by fetching it) take
 * the provider's own path. For providers whose clients all come from the
 * adapter: an id the adapter doesn't know is unknown (static `clients` are
 * not consulted). Call it once, right after `new Provider(...)`.
 */
export function reuseClientInstances(
  provider: ProviderWithClientFind,
  adapter: OidcAdapterFactory,
): void {
  const { Client } = provider;
  const clients = adapter('Client');
  const find = Client.find.bind(Client);
  const built = new WeakMap<OidcAdapterPayload, object>();
  Client.find = async (id: string): Promise<object | undefined> => {
    if (typeof id !== 'string' || id.length === 0 || looksLikeClientIdUrl(id)) return find(id);
    const metadata = await clients.find(id);
    if (metadata === undefined) return undefined;
    if (metadata.sector_identifier_uri !== undefined) return find(id);
    let client = built.get(metadata);
    if (client === undefined) {
      // What the provider's own find does for such metadata (add_client.js): validate and build.
      client = new Client(metadata);
      built.set(metadata, client);
    }
    return client;
  };
}
