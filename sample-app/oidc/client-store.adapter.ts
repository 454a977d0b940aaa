import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import type { ClientStore, StoredClient } from '../../lib/index.js';

/**
 * oidc-provider client metadata for a registered client. The secret handed to
 * the provider is the stored SHA-256 hash (see hashed-client-secret.ts), so the
 * plaintext never exists outside the registration response.
 */
export function toProviderMetadata(client: StoredClient): AdapterPayload {
  const {
    // The sample's subjects are public: a sector_identifier_uri would only make
    // the provider fetch it each time it loads the client.
    sector_identifier_uri,
    // Credentials come from the stored client only, never from its metadata.
    client_id,
    client_secret,
    client_id_issued_at,
    client_secret_expires_at,
    ...metadata
  } = client.metadata;
  return {
    ...metadata,
    client_id: client.clientId,
    client_id_issued_at: client.clientIdIssuedAt,
    ...(client.clientSecretHash !== undefined && {
      client_secret: client.clientSecretHash,
      client_secret_expires_at: client.clientSecretExpiresAt,
    }),
  };
}

/** Where the provider reads clients: the store, or a ClientLookupCache in front of it. */
export type ClientLookup = Pick<ClientStore, 'findById'>;

/**
 * The provider's `Client` model, read through `clients` on every lookup (the
 * provider memoises loaded clients by a hash of their metadata only, never by
 * id, so it asks the adapter every time). With a ClientLookupCache a change is
 * seen as soon as the store tells of it. Writes go through /connect/dcr, never here.
 */
export class ClientStoreAdapter implements Adapter {
  constructor(private readonly store: ClientLookup) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.store.findById(id);
    return client && toProviderMetadata(client);
  }

  async upsert(): Promise<void> {
    throw new Error('clients are registered through the DCR endpoint');
  }

  async destroy(): Promise<void> {
    throw new Error('clients are deleted through the DCR endpoint');
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

/** Clients from the DCR store; short-lived provider state (tokens, grants, sessions) in memory. */
export function providerAdapter(store: ClientLookup): AdapterFactory {
  const memory = createMemoryAdapter();
  const clients = new ClientStoreAdapter(store);
  return (model) => (model === 'Client' ? clients : memory(model));
}
