import type { StoredClient } from '../store/stored-client.js';
import type { OidcAdapterPayload } from './oidc-adapter.js';

/**
 * oidc-provider client metadata for a registered client. The secret handed to
 * the provider is the stored SHA-256 hash (see useHashedClientSecrets), so the
 * plaintext never exists outside the registration response.
 */
export function toProviderClientMetadata(client: StoredClient): OidcAdapterPayload {
  const {
    // A sector_identifier_uri would make the provider fetch it every time it
    // loads the client (pairwise subjects are not offered through this store).
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
