import { ClientIdMetadataError } from './client-id-metadata.errors.js';

/** Auth methods a document may name: no shared secret exists between a CIMD client and the server. */
export const CIMD_AUTH_METHODS: readonly string[] = ['none', 'private_key_jwt'];

function refuse(problem: string): never {
  throw new ClientIdMetadataError('invalid_document', `the client_id metadata document ${problem}`);
}

/**
 * The rules of draft-ietf-oauth-client-id-metadata-document §4 that plain
 * registration does not have: a JSON object whose `client_id` equals the URL
 * exactly (string comparison), without `client_secret*` members, with
 * `token_endpoint_auth_method` `none` (the default here) or
 * `private_key_jwt`, and with `redirect_uris`. Returns the members the
 * module's metadata rules validate next (client_id is the URL, not metadata).
 */
export function checkDocumentRules(document: unknown, clientId: string): Record<string, unknown> {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    refuse('is not a JSON object');
  }
  const { client_id: documentClientId, ...members } = document as Record<string, unknown>;
  if (documentClientId !== clientId) refuse('has a client_id that is not its own URL');
  const secret = Object.keys(members).find((member) => member.startsWith('client_secret'));
  if (secret !== undefined) refuse(`must not contain ${secret}`);
  const method = members.token_endpoint_auth_method ?? 'none';
  if (typeof method !== 'string' || !CIMD_AUTH_METHODS.includes(method)) {
    refuse(
      `uses token_endpoint_auth_method ${JSON.stringify(method)}; only ${CIMD_AUTH_METHODS.join(' or ')} (with jwks or jwks_uri) are accepted`,
    );
  }
  if (!Array.isArray(members.redirect_uris) || members.redirect_uris.length === 0) {
    refuse('must list redirect_uris');
  }
  return { ...members, token_endpoint_auth_method: method };
}
