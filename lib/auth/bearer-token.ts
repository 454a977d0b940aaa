import { DcrException } from '../errors/dcr.exception.js';

/** RFC 6750 §2.1: `Bearer 1*SP b64token`, the scheme compared case-insensitively. */
const BEARER_CREDENTIALS = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const BEARER_SCHEME = /^bearer(?: |$)/i;

type WithHeaders = { headers: Readonly<Record<string, string | string[] | undefined>> };

/** The Authorization header as sent, when there is exactly one. */
export function authorizationHeader(request: object): string | undefined {
  const header = (request as WithHeaders).headers.authorization;
  return typeof header === 'string' ? header : undefined;
}

/**
 * The bearer token of the Authorization header, the only place we read it
 * (never the query string or the body, RFC 6750 §2.2-2.3 / RFC 9700 §2.5);
 * undefined when there is none; 401 invalid_token when it is malformed.
 */
export function readBearerToken(request: object, realm: string): string | undefined {
  const header = authorizationHeader(request);
  if (header === undefined || !BEARER_SCHEME.test(header)) return undefined;
  const match = BEARER_CREDENTIALS.exec(header);
  if (!match) throw DcrException.invalidToken(realm, 'the bearer credentials are malformed');
  return match[1];
}

/** A compact JWS has three dot-separated parts; our initial access tokens have none. */
export function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3;
}
