import { Logger } from '@nestjs/common';
import { errors, Provider, type Client, type KoaContextWithOidc } from 'oidc-provider';
import type { ClientIdMetadataResolver, ClientStore, OutboundFetcher } from '../../lib/index.js';
import {
  dcrProviderAdapter,
  DEFAULT_PROVIDER_FETCH_MAX_BYTES,
  guardedProviderFetch,
  useHashedClientSecrets,
  useLoopbackPortsForUrlClients,
  type ProviderState,
} from '../../lib/oidc-provider/index.js';
import type { SampleConfig } from '../config.js';
import { loadOrCreateProviderKeys } from './provider-keys.js';

/** Asymmetric algorithms only: the provider holds hashes, not secrets (useHashedClientSecrets). */
const ASYMMETRIC_ALGS = ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'];

/** Token endpoint auth methods the provider accepts; client_secret_jwt needs the plaintext secret. */
export const PROVIDER_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
];

const ACCESS_TOKEN_TTL_SECONDS = 600;

/** The registration endpoint, as the resource server the provider issues tokens for. */
function registrationResource(config: SampleConfig): string {
  return `${config.publicUrl}/connect/dcr`;
}

/** The client's registered scopes that the resource server knows: nothing unless registered. */
function grantableScopes(client: Client, resourceScopes: readonly string[]): string {
  const registered = new Set(client.scope?.split(' '));
  return resourceScopes.filter((scope) => registered.has(scope)).join(' ');
}

/**
 * The embedded OpenID provider, mounted at /oidc. Its clients are the DCR
 * store's clients; it issues RFC 9068 JWT access tokens for the registration
 * endpoint (scope DCR_REQUIRED_SCOPE) and advertises that endpoint as its
 * registration_endpoint. It has no end-user login: clients use client_credentials.
 */
/** The module's outbound services the provider uses: URL client_ids, and its own fetches. */
export interface ProviderOutbound {
  clientIdMetadata: ClientIdMetadataResolver;
  fetcher: OutboundFetcher;
}

export async function createOidcProvider(
  config: SampleConfig,
  store: ClientStore,
  state?: ProviderState,
  outbound?: ProviderOutbound,
): Promise<Provider> {
  const logger = new Logger('OidcProvider');
  const keys = await loadOrCreateProviderKeys(config.dataDir);
  const resource = registrationResource(config);
  const resourceScopes = [config.token.requiredScope];

  const provider = new Provider(config.oidcIssuer, {
    adapter: dcrProviderAdapter(store, {
      state,
      clientIdMetadata:
        outbound && config.clientIdMetadataDocuments
          ? {
              resolver: outbound.clientIdMetadata,
              toProviderError: (error) => new errors.InvalidClient(error.message),
            }
          : undefined,
    }),
    // A client's jwks_uri (private_key_jwt) is fetched through the module's
    // guard: public addresses only, no redirects, timeouts, 64 KiB.
    ...(outbound && { fetch: guardedProviderFetch(outbound.fetcher) }),
    fetchResponseBodyLimits: { jwks_uri: DEFAULT_PROVIDER_FETCH_MAX_BYTES },
    jwks: keys.jwks,
    cookies: { keys: keys.cookieKeys },
    scopes: ['openid', 'offline_access', ...resourceScopes],
    clientAuthMethods: PROVIDER_AUTH_METHODS,
    enabledJWA: {
      clientAuthSigningAlgValues: ASYMMETRIC_ALGS,
      requestObjectSigningAlgValues: ASYMMETRIC_ALGS,
    },
    // Registration is ours (/connect/dcr); the provider's own stays off.
    discovery: {
      registration_endpoint: `${config.publicUrl}/connect/dcr`,
      ...(config.clientIdMetadataDocuments && { client_id_metadata_document_supported: true }),
    },
    clientBasedCORS: () => false,
    ttl: { ClientCredentials: ACCESS_TOKEN_TTL_SECONDS },
    features: {
      // The development login screen would let anyone sign in as anyone.
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => resource,
        getResourceServerInfo: async (_ctx: unknown, indicator: string, client: Client) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return {
            scope: grantableScopes(client, resourceScopes),
            audience: config.token.audience,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
  });
  // Behind a TLS-terminating proxy the host speaks http; trust its X-Forwarded-* headers.
  provider.proxy = new URL(config.publicUrl).protocol === 'https:';
  useHashedClientSecrets(provider);
  useLoopbackPortsForUrlClients(provider);

  provider.on('grant.success', (ctx: KoaContextWithOidc) => {
    const clientId = ctx.oidc.client?.clientId;
    if (clientId === undefined) return;
    // Feeds the store's pruning of abandoned clients; a failure must not fail the grant.
    store.markUsed(clientId, Math.floor(Date.now() / 1000)).catch((error: unknown) => {
      logger.warn(`could not record the use of a client: ${(error as Error).message}`);
    });
  });
  provider.on('server_error', (_ctx, error) => {
    logger.error(`server_error: ${(error as Error).message}`);
  });
  return provider;
}
