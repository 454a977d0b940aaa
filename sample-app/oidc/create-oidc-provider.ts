import { Logger } from '@nestjs/common';
import { errors, Provider, type Client, type KoaContextWithOidc } from 'oidc-provider';
import type {
  ClientIdMetadataResolver,
  ClientLookupCache,
  ClientStore,
  ClientUseRecorder,
  OutboundFetcher,
} from '../../lib/index.js';
import {
  dcrProviderAdapter,
  DEFAULT_PROVIDER_FETCH_MAX_BYTES,
  guardedProviderFetch,
  reuseClientInstances,
  useHashedClientSecrets,
  useLoopbackPortsForUrlClients,
  type ProviderState,
} from '../../lib/oidc-provider/index.js';
import type { AccountStore } from '../accounts/account-store.js';
import type { SampleConfig } from '../config.js';
import { interactionOptions, securePages } from '../interactions/interaction-options.js';
import {
  advertiseRegistrableScopes,
  providerScopes,
  RESPONSE_TYPES,
  TOKEN_ENDPOINT_AUTH_METHODS,
} from './discovery.js';
import { loadOrCreateProviderKeys } from './provider-keys.js';
import { issueRefreshToken, rotateRefreshToken } from './refresh-tokens.js';
import { PROVIDER_TTL } from './lifetimes.js';
import { ResourceServers } from './resources.js';

/** Asymmetric algorithms only: the provider holds hashes, not secrets (useHashedClientSecrets). */
const ASYMMETRIC_ALGS = ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'];

/**
 * Browsers may call the token endpoint (and revocation) for a public client
 * from the origin of one of its redirect URIs: a single-page app or MCP
 * Inspector served there. Confidential clients never authenticate from a browser.
 */
function clientBasedCORS(_ctx: unknown, origin: string, client: Client): boolean {
  if (origin === 'null' || client.clientAuthMethod !== 'none') return false;
  return client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin);
}

/** How the token path reaches the DCR store: lookups (cached) and last uses (batched). */
export interface ProviderClients {
  lookup: Pick<ClientLookupCache, 'findShared'>;
  uses: Pick<ClientUseRecorder, 'record'>;
}

/**
 * The embedded OpenID provider, mounted at /oidc. Its clients are the DCR
 * store's clients; it issues RFC 9068 JWT access tokens for the registration
 * endpoint (scope DCR_REQUIRED_SCOPE) and for each DCR_RESOURCES entry, and
 * advertises /connect/dcr as its registration_endpoint. Grants, response types
 * and auth methods come from discovery.ts, the list registration accepts too.
 */
/** The module's outbound services the provider uses: URL client_ids, and its own fetches. */
export interface ProviderOutbound {
  clientIdMetadata: ClientIdMetadataResolver;
  fetcher: OutboundFetcher;
}

export async function createOidcProvider(
  config: SampleConfig,
  store: ClientStore,
  accounts: AccountStore,
  clients: ProviderClients,
  state?: ProviderState,
  outbound?: ProviderOutbound,
): Promise<Provider> {
  const logger = new Logger('OidcProvider');
  const keys = await loadOrCreateProviderKeys(config.dataDir);
  const resources = new ResourceServers(config);
  // End-user sign-in (interactions, accounts, cookies, sign-out): sample-app/interactions/.
  const signIn = interactionOptions(config, accounts, keys.cookieKeys);

  const adapter = dcrProviderAdapter(store, {
    state,
    lookupClient: (clientId) => clients.lookup.findShared(clientId),
    clientIdMetadata:
      outbound && config.clientIdMetadataDocuments
        ? {
            resolver: outbound.clientIdMetadata,
            toProviderError: (error) => new errors.InvalidClient(error.message),
          }
        : undefined,
  });

  const provider = new Provider(config.oidcIssuer, {
    ...signIn,
    adapter,
    // A client's jwks_uri (private_key_jwt) is fetched through the module's
    // guard: public addresses only, no redirects, timeouts, 64 KiB.
    ...(outbound && { fetch: guardedProviderFetch(outbound.fetcher) }),
    fetchResponseBodyLimits: { jwks_uri: DEFAULT_PROVIDER_FETCH_MAX_BYTES },
    jwks: keys.jwks,
    scopes: providerScopes(resources),
    responseTypes: RESPONSE_TYPES,
    clientAuthMethods: TOKEN_ENDPOINT_AUTH_METHODS,
    // S256 is the only method oidc-provider 9 implements; required for every client.
    pkce: { required: () => true },
    issueRefreshToken,
    rotateRefreshToken: rotateRefreshToken(resources),
    enabledJWA: {
      clientAuthSigningAlgValues: ASYMMETRIC_ALGS,
      requestObjectSigningAlgValues: ASYMMETRIC_ALGS,
    },
    // Registration is ours (/connect/dcr); the provider's own stays off.
    discovery: {
      registration_endpoint: `${config.publicUrl}/connect/dcr`,
      ...(config.clientIdMetadataDocuments && { client_id_metadata_document_supported: true }),
    },
    clientBasedCORS,
    ttl: PROVIDER_TTL,
    features: {
      ...(signIn.features as Record<string, unknown>),
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Without `resource`: a token for the registration endpoint (client_credentials).
        // With `oneOf` (several granted resources), the client must name one.
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) =>
          oneOf ?? resources.registration.indicator,
        getResourceServerInfo: async (_ctx: unknown, indicator: string, client: Client) =>
          resources.info(indicator, client),
        // A refresh without `resource` is for the resource the grant was for.
        useGrantedResource: async () => true,
      },
    },
  });
  // Behind a TLS-terminating proxy the host speaks http; trust its X-Forwarded-* headers.
  provider.proxy = new URL(config.publicUrl).protocol === 'https:';
  useHashedClientSecrets(provider);
  reuseClientInstances(provider, adapter);
  useLoopbackPortsForUrlClients(provider);
  securePages(provider);
  advertiseRegistrableScopes(provider, resources);

  provider.on('grant.success', (ctx: KoaContextWithOidc) => {
    const clientId = ctx.oidc.client?.clientId;
    if (clientId === undefined) return;
    // Feeds the store's pruning of abandoned clients; written later, in batches, off the grant's path.
    clients.uses.record(clientId, Math.floor(Date.now() / 1000));
  });
  provider.on('server_error', (_ctx, error) => {
    logger.error(`server_error: ${(error as Error).message}`);
  });
  return provider;
}
