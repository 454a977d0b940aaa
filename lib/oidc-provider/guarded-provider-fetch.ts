import type { OutboundFetcher } from '../fetch/outbound-fetcher.js';

/** Media types the provider's fetches (jwks_uri) are answered in. */
const JSON_TYPES = ['application/json', 'application/jwk-set+json'];

export const DEFAULT_PROVIDER_FETCH_MAX_BYTES = 64 * 1024;

/** The provider's `fetch` configuration hook: (url, init) → a WHATWG Response. */
export type ProviderFetch = (
  url: string | URL,
  init?: { method?: string; headers?: ConstructorParameters<typeof Headers>[0] },
) => Promise<Response>;

/**
 * oidc-provider's `fetch` configuration through the module's guarded fetcher:
 * the provider's own fetches (a private_key_jwt client's jwks_uri) get the
 * address rule, no redirects, the timeouts and a body cap (default 64 KiB).
 * Only GET: the provider's POSTs (back-channel logout, CIBA pings) are for
 * features this host leaves off. Pair it with `fetchResponseBodyLimits`.
 */
export function guardedProviderFetch(
  fetcher: OutboundFetcher,
  { maxBodyBytes = DEFAULT_PROVIDER_FETCH_MAX_BYTES }: { maxBodyBytes?: number } = {},
): ProviderFetch {
  return async (url, init = {}) => {
    if ((init.method ?? 'GET').toUpperCase() !== 'GET') {
      throw new Error('the guarded fetcher only makes GET requests');
    }
    const { headers, body } = await fetcher.fetch(String(url), {
      contentTypes: JSON_TYPES,
      maxBodyBytes,
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) responseHeaders.set(name, value);
    }
    return new Response(new Uint8Array(body), { status: 200, headers: responseHeaders });
  };
}
