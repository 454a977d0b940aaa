import { IssuerUnavailableError } from './key-errors.js';
import { isAcceptableIssuerUrl } from './issuer-url.js';

/** Where an issuer publishes its metadata: OIDC Discovery §4, then RFC 8414 §3. */
function metadataUrls(issuer: string): URL[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return [
    new URL(`${url.origin}${path}/.well-known/openid-configuration`),
    new URL(`${url.origin}/.well-known/oauth-authorization-server${path}`),
  ];
}

/**
 * Finds the issuer's `jwks_uri` from its metadata. The metadata must name the
 * same issuer (RFC 8414 §3.3), else an impostor's keys could be trusted.
 */
export async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<URL> {
  let lastProblem = 'no metadata document found';
  for (const url of metadataUrls(issuer)) {
    let response: Response;
    try {
      response = await fetch(url, {
        redirect: 'manual',
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new IssuerUnavailableError(`issuer metadata fetch failed: ${url.href}`, { cause });
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      continue;
    }
    const metadata = (await response.json().catch(() => undefined)) as
      Record<string, unknown> | undefined;
    if (metadata?.issuer !== issuer) {
      lastProblem = `${url.href} names another issuer`;
      continue;
    }
    const jwksUri = metadata.jwks_uri;
    if (typeof jwksUri === 'string' && URL.canParse(jwksUri)) {
      const parsed = new URL(jwksUri);
      if (isAcceptableIssuerUrl(parsed)) return parsed;
    }
    lastProblem = `${url.href} has no usable jwks_uri`;
  }
  throw new IssuerUnavailableError(`issuer metadata: ${lastProblem}`);
}
