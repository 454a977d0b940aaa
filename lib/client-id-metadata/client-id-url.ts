import { hasDotSegment } from '../metadata/uri-host-rules.js';
import { ClientIdMetadataError } from './client-id-metadata.errors.js';

/** Printable ASCII without spaces or backslash: nothing the URL parser would rewrite. */
const PLAIN_URL = /^[\x21-\x5B\x5D-\x7E]+$/;
const HTTPS_PREFIX = /^https:\/\//i;

/** Whether a client_id is meant as a Client ID Metadata Document URL (it starts with https://). */
export function looksLikeClientIdUrl(clientId: string): boolean {
  return HTTPS_PREFIX.test(clientId);
}

function refuse(problem: string): never {
  throw new ClientIdMetadataError('invalid_client_id', `the client_id URL ${problem}`);
}

/**
 * The URL rules of draft-ietf-oauth-client-id-metadata-document §3: https,
 * a path beyond `/`, no `.` / `..` segments (checked as written, since the
 * parser removes them), no fragment, no userinfo. A query is allowed.
 * Returns the parsed URL; the document is fetched from the client_id exactly.
 */
export function parseClientIdUrl(clientId: string): URL {
  if (!PLAIN_URL.test(clientId)) refuse('must be plain ASCII without spaces');
  if (!clientId.startsWith('https://')) refuse('must use the https scheme, written https://');
  const url = URL.parse(clientId);
  if (!url || url.hostname === '') refuse('is not an absolute URL');
  if (clientId.includes('#')) refuse('must not contain a fragment');
  const authority = clientId.slice('https://'.length).split(/[/?#]/, 1)[0]!;
  if (authority.includes('@')) refuse('must not contain a username or password');
  if (hasDotSegment(clientId)) refuse('must not contain . or .. path segments');
  if (url.pathname === '/' || url.pathname === '') refuse('must contain a path');
  return url;
}
