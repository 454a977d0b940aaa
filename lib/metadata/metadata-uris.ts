import {
  BLOCKED_URI_SCHEMES,
  LOOPBACK_HOSTS,
  NON_PRIVATE_SCHEMES,
  PRIVATE_USE_SCHEME,
} from './client-metadata.rules.js';
import { invalidMember, quote } from './invalid-member.js';
import { checkNoDotSegments, checkUriHost } from './uri-host-rules.js';

/** Printable ASCII, no spaces, no backslash: nothing the URL parser would silently rewrite. */
const PLAIN_URI = /^[\x21-\x5B\x5D-\x7E]+$/;
const WEB_SCHEME_WITH_AUTHORITY = /^https?:\/\/[^/]/i;

/**
 * Parses a URI member strictly: absolute, plain ASCII, no blocked scheme
 * (compared after the parser lower-cases it), http(s) written with `//host`,
 * no user:password part. `parsed` is `URL.parse(value)` when the caller has
 * it already (null: not a URL).
 */
export function parseUri(member: string, value: string, parsed?: URL | null): URL {
  if (!PLAIN_URI.test(value)) {
    throw invalidMember(member, `holds ${quote(value)}: not a plain ASCII URI`);
  }
  const url = parsed === undefined ? URL.parse(value) : parsed;
  if (url === null) throw invalidMember(member, `holds ${quote(value)}: not an absolute URI`);
  if (BLOCKED_URI_SCHEMES.has(url.protocol)) {
    throw invalidMember(member, `holds ${quote(value)}: the ${url.protocol} scheme is not allowed`);
  }
  const web = url.protocol === 'https:' || url.protocol === 'http:';
  if (web && !WEB_SCHEME_WITH_AUTHORITY.test(value)) {
    throw invalidMember(member, `holds ${quote(value)}: must be written as ${url.protocol}//host`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidMember(member, `holds ${quote(value)}: must not carry credentials`);
  }
  return url;
}

function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/** client_uri, logo_uri, jwks_uri, ...: an https URL. */
export function checkHttpsUri(member: string, value: string): void {
  const url = parseUri(member, value);
  if (url.protocol !== 'https:') {
    throw invalidMember(member, `holds ${quote(value)}: must be an https URL`);
  }
  checkUriHost(member, value, url);
}

/**
 * A redirection URI (RFC 7591 §2, OIDC DCR §2, RFC 8252 §7, RFC 9700 §4.1):
 * no fragment; web clients use https, or http on an exact loopback host;
 * native clients use a reverse-domain private-use scheme, http on a loopback
 * host, or https on a host that is not loopback.
 */
export function checkRedirectUri(
  member: string,
  value: string,
  applicationType: 'web' | 'native',
  parsed?: URL | null,
): void {
  const url = parseUri(member, value, parsed);
  if (value.includes('#')) {
    throw invalidMember(member, `holds ${quote(value)}: must not contain a fragment`);
  }
  checkNoDotSegments(member, value);
  checkUriHost(member, value, url, LOOPBACK_HOSTS);
  const loopback = isLoopback(url);
  if (applicationType === 'web') {
    if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return;
    throw invalidMember(
      member,
      `holds ${quote(value)}: web clients must use https, or http on localhost, 127.0.0.1 or [::1]`,
    );
  }
  if (url.protocol === 'http:') {
    if (loopback) return;
    throw invalidMember(
      member,
      `holds ${quote(value)}: native clients may use http only on localhost, 127.0.0.1 or [::1]`,
    );
  }
  if (url.protocol === 'https:') {
    if (!loopback) return;
    throw invalidMember(
      member,
      `holds ${quote(value)}: native clients use http, not https, on a loopback host`,
    );
  }
  if (!PRIVATE_USE_SCHEME.test(url.protocol) || NON_PRIVATE_SCHEMES.has(url.protocol)) {
    throw invalidMember(
      member,
      `holds ${quote(value)}: a native client's redirect URI uses a private-use scheme such as com.example.app (RFC 8252 §7.1), http on a loopback host or https`,
    );
  }
}

/**
 * Whether a redirect URI (`URL.parse` of it) can only reach an app on the
 * user's own device: a private-use scheme, or http on a loopback host (RFC
 * 8252 §7.1, §7.3). A URI that fails checkRedirectUri answers false here or
 * fails there.
 */
export function isDeviceRedirectUrl(url: URL | null): boolean {
  if (!url) return false;
  if (url.protocol === 'http:') return isLoopback(url);
  return url.protocol !== 'https:';
}
