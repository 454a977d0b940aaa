import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider';
import { DISCOVERY_PATHS } from './provider-routes.js';
import type { ResourceServers } from './resources.js';

/**
 * What the host offers, in one place: the provider is configured from these
 * lists (and so advertises them in discovery), and DcrModule accepts exactly
 * these at registration. test/sample-app/discovery.spec.ts checks that the
 * two agree.
 */
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'];

/** `code` only: no implicit or hybrid flows (RFC 9700 §2.1.2). */
export const RESPONSE_TYPES = ['code'];

/** client_secret_jwt is absent: it needs the plaintext secret, and the store keeps hashes. */
export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
];

/** PKCE is required for every client, with S256 only (RFC 9700 §2.1.1). */
export const CODE_CHALLENGE_METHODS = ['S256'];

/** OpenID Connect scopes, beside the resource servers' ones. */
const OIDC_SCOPES = ['openid', 'offline_access'];

/** Every scope the provider knows (its `scopes`), the registration scope included. */
export function providerScopes(resources: ResourceServers): string[] {
  return [...new Set([...OIDC_SCOPES, ...resources.scopes])];
}

/**
 * The scopes a client may register, and the only ones discovery advertises
 * (scopes_supported): all but the registration scope. That one is held by the
 * bootstrap client alone: whoever registers cannot give itself the power to
 * register, and an MCP client that registers "every scope the server
 * supports" (MCP Inspector, mcp-remote do) is not refused for it.
 */
export function registrableScopes(resources: ResourceServers): string[] {
  const reserved = new Set(resources.registration.scopes);
  return providerScopes(resources).filter((scope) => !reserved.has(scope));
}

interface DiscoveryContext {
  path: string;
  oidc?: object;
  body?: unknown;
}

/**
 * oidc-provider advertises all of its `scopes`; RFC 8414 §2 lets a server
 * leave some out. The discovery answer (both addresses) lists the
 * registrable ones only.
 */
export function advertiseRegistrableScopes(
  provider: {
    use(middleware: (ctx: DiscoveryContext, next: () => Promise<void>) => Promise<void>): void;
  },
  resources: ResourceServers,
): void {
  const advertised = registrableScopes(resources);
  const advertise = async (ctx: DiscoveryContext, next: () => Promise<void>): Promise<void> => {
    await next();
    const body = ctx.body as { scopes_supported?: unknown } | undefined;
    const route = (ctx.oidc as { route?: string } | undefined)?.route;
    if (route === 'discovery' && body && Array.isArray(body.scopes_supported)) {
      body.scopes_supported = advertised;
    }
  };
  // Every other request passes straight on: no extra await on the token path.
  provider.use((ctx, next) => (DISCOVERY_PATHS.has(ctx.path) ? advertise(ctx, next) : next()));
}

/** Where RFC 8414 §3 puts the metadata of an issuer with a path: the path after the well-known prefix. */
export function authorizationServerMetadataPath(issuer: string): string {
  const { pathname } = new URL(issuer);
  return `/.well-known/oauth-authorization-server${pathname === '/' ? '' : pathname}`;
}

type Handler = (
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
  next: () => void,
) => void;

/**
 * Serves the provider's metadata at the RFC 8414 path-insertion address
 * (`/.well-known/oauth-authorization-server/oidc`), where MCP clients look
 * first. The provider answers it itself, as if asked at its own
 * `/oidc/.well-known/oauth-authorization-server`, so the document (issuer,
 * registration_endpoint, CORS) is the same byte for byte.
 */
export function authorizationServerMetadataHandler(provider: Provider, mountPath: string): Handler {
  const callback = provider.callback();
  return (req, res, next) => {
    // Mounted as a prefix: only the exact address is the metadata document.
    const [path = '', query] = (req.url ?? '').split('?', 2);
    if (path !== '/' && path !== '') return next();
    req.url = `/.well-known/oauth-authorization-server${query === undefined ? '' : `?${query}`}`;
    // oidc-provider finds its mount path from originalUrl minus url.
    req.originalUrl = `${mountPath}${req.url}`;
    callback(req, res);
  };
}
