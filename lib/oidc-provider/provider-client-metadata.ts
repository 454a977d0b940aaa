import type { StoredClient } from '../store/stored-client.js';
import type { OidcAdapterPayload } from './oidc-adapter.js';

/**
 * Metadata members never handed to the provider. Credentials come from the
 * stored client only, never from its metadata; a sector_identifier_uri would
 * make the provider fetch it every time it loads the client (pairwise
 * subjects are not offered through this store).
 */
const WITHHELD_MEMBERS: ReadonlySet<string> = new Set([
  'sector_identifier_uri',
  'client_id',
  'client_secret',
  'client_id_issued_at',
  'client_secret_expires_at',
]);

/**
 * oidc-provider client metadata for a registered client. The secret handed to
 * the provider is the stored SHA-256 hash (see useHashedClientSecrets), so the
 * plaintext never exists outside the registration response. ClientStoreAdapter
 * derives it once per looked-up client version; a plain loop, since a
 * rest-and-spread copy cost several times as much on an uncached lookup.
 */
export function toProviderClientMetadata(client: Readonly<StoredClient>): OidcAdapterPayload {
  const payload: OidcAdapterPayload = {};
  const { metadata } = client;
  for (const member of Object.keys(metadata)) {
    if (!WITHHELD_MEMBERS.has(member)) payload[member] = metadata[member];
  }
  payload.client_id = client.clientId;
  payload.client_id_issued_at = client.clientIdIssuedAt;
  if (client.clientSecretHash !== undefined) {
    payload.client_secret = client.clientSecretHash;
    payload.client_secret_expires_at = client.clientSecretExpiresAt;
  }
  return payload;
}
