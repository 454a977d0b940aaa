import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on a loopback host (local development and tests): keys must not travel in clear. */
export function isAcceptableIssuerUrl(url: URL): boolean {
  return (
    url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
  );
}

/** Parses a configured issuer or JWKS URL; throws DcrConfigurationError naming `option`. */
export function checkIssuerUrl(option: string, value: string): URL {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !isAcceptableIssuerUrl(url) || url.hash || url.username || url.password) {
    throw new DcrConfigurationError(
      option,
      'must be an https URL (http only on a loopback host) without fragment or credentials',
    );
  }
  return url;
}
