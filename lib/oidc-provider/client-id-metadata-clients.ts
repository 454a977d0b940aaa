import { ClientIdMetadataError } from '../client-id-metadata/client-id-metadata.errors.js';
import type {
  ClientIdMetadataResolver,
  ResolvedClientIdMetadata,
} from '../client-id-metadata/client-id-metadata.resolver.js';
import { redirectUriMatches } from '../client-id-metadata/redirect-uri-match.js';
import { looksLikeClientIdUrl } from '../client-id-metadata/client-id-url.js';
import type { OidcAdapterPayload } from './oidc-adapter.js';

/** How the provider's Client model resolves URL client_ids (Client ID Metadata Documents). */
export interface ClientIdMetadataClientsOptions {
  /** The module's resolver: `app.get(ClientIdMetadataResolver)`. */
  resolver: ClientIdMetadataResolver;
  /**
   * The provider's error for a refused document, e.g.
   * `(error) => new errors.InvalidClient(error.message)` with oidc-provider's
   * `errors`, so the client sees why. Default: the client is unknown
   * (the provider answers a bare invalid_client).
   */
  toProviderError?: (error: ClientIdMetadataError) => Error;
}

/** The provider's view of a resolved document: its metadata, with the URL as client_id. */
export function toProviderCimdMetadata(resolved: ResolvedClientIdMetadata): OidcAdapterPayload {
  // As for registered clients: the provider would fetch a sector_identifier_uri on every load.
  const { sector_identifier_uri: _sector, ...metadata } = resolved.metadata;
  return { ...metadata, client_id: resolved.clientId };
}

/** The Client model's lookup for URL client_ids; undefined for any other id. */
export type ClientIdMetadataLookup = (clientId: string) => Promise<OidcAdapterPayload | undefined>;

export function clientIdMetadataLookup(
  options: ClientIdMetadataClientsOptions,
): ClientIdMetadataLookup {
  return async (clientId) => {
    if (!looksLikeClientIdUrl(clientId)) return undefined;
    try {
      return toProviderCimdMetadata(await options.resolver.resolve(clientId));
    } catch (error) {
      if (!(error instanceof ClientIdMetadataError)) throw error;
      if (options.toProviderError) throw options.toProviderError(error);
      return undefined;
    }
  };
}

/** The part of an oidc-provider `Provider` that redirect URI checks live on. */
export interface ProviderWithRedirectChecks {
  readonly Client: {
    prototype: {
      readonly clientId: string;
      readonly redirectUris?: string[];
      redirectUriAllowed(value: string): boolean;
    };
  };
}

/**
 * RFC 8252 §7.3 for URL clients whatever their application_type: a document
 * lists `http://localhost/callback` and the client listens on any port
 * (oidc-provider allows the port to vary only for native clients). Every
 * other part of the redirect URI still compares exactly. Call it once, right
 * after `new Provider(...)`.
 */
export function useLoopbackPortsForUrlClients(provider: ProviderWithRedirectChecks): void {
  const prototype = provider.Client.prototype;
  const exact = prototype.redirectUriAllowed;
  prototype.redirectUriAllowed = function redirectUriAllowed(
    this: typeof prototype,
    value: string,
  ): boolean {
    if (exact.call(this, value)) return true;
    return (
      looksLikeClientIdUrl(this.clientId) && redirectUriMatches(this.redirectUris ?? [], value)
    );
  };
}
