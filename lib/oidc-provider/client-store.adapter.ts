import { looksLikeClientIdUrl } from '../client-id-metadata/client-id-url.js';
import type { ClientStore } from '../store/client-store.js';
import type { StoredClient } from '../store/stored-client.js';
import type { ClientIdMetadataLookup } from './client-id-metadata-clients.js';
import type { OidcAdapter, OidcAdapterPayload } from './oidc-adapter.js';
import { toProviderClientMetadata } from './provider-client-metadata.js';

/**
 * How the adapter finds a registered client: one function, so a cache can
 * stand in front. A lookup that answers the same object while the client is
 * unchanged (ClientLookupCache.findShared) gets the same provider metadata
 * object back each time, which reuseClientInstances turns into one Client.
 */
export type ClientLookup = (clientId: string) => Promise<Readonly<StoredClient> | undefined>;

/** The plain lookup: straight to the store, every time. */
export function lookupInStore(store: ClientStore): ClientLookup {
  return (clientId) => store.findById(clientId);
}

/** Raised by the writes the provider must never make to the DCR store. */
export class ReadOnlyClientModelError extends Error {
  constructor(operation: string) {
    super(`clients are ${operation} through the DCR endpoint, not through oidc-provider`);
    this.name = 'ReadOnlyClientModelError';
  }
}

/**
 * The provider's `Client` model, read from the DCR store on every lookup: a
 * registered client works at once, a deleted one stops at once. (The provider
 * memoises loaded clients by a hash of their metadata only, never by id, so it
 * asks the adapter every time.) Writes go through the DCR endpoint, never here:
 * keep oidc-provider's own registration feature off.
 */
export class ClientStoreAdapter implements OidcAdapter {
  /** Provider metadata per looked-up client object: derived once while the lookup answers the same object. */
  private readonly metadata = new WeakMap<Readonly<StoredClient>, OidcAdapterPayload>();

  constructor(
    private readonly lookup: ClientLookup,
    /** URL client_ids (Client ID Metadata Documents), when enabled. */
    private readonly urlClients?: ClientIdMetadataLookup,
  ) {}

  async find(id: string): Promise<OidcAdapterPayload | undefined> {
    // Only a URL can be a document: a registered id (the token path) skips that await.
    if (this.urlClients && looksLikeClientIdUrl(id)) {
      const document = await this.urlClients(id);
      if (document) return document;
    }
    const client = await this.lookup(id);
    if (client === undefined) return undefined;
    let metadata = this.metadata.get(client);
    if (metadata === undefined) {
      metadata = Object.freeze(toProviderClientMetadata(client));
      this.metadata.set(client, metadata);
    }
    return metadata;
  }

  async upsert(): Promise<void> {
    throw new ReadOnlyClientModelError('registered');
  }

  async destroy(): Promise<void> {
    throw new ReadOnlyClientModelError('deleted');
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async consume(): Promise<void> {}

  async revokeByGrantId(): Promise<void> {}
}
