/** The provider's two metadata addresses (fixed by oidc-provider, not configurable). */
export const DISCOVERY_PATHS: ReadonlySet<string> = new Set([
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
]);

/** The provider's routes that answer JSON (or nothing), never an HTML page. */
const API_ROUTE_NAMES = [
  'token',
  'introspection',
  'revocation',
  'jwks',
  'userinfo',
  'pushed_authorization_request',
  'device_authorization',
  'backchannel_authentication',
  'challenge',
] as const;

export interface ProviderWithRoutes {
  pathFor(name: string, options: { mountPath: string }): string;
}

/**
 * The paths (below the mount path, as koa's ctx.path sees them) of the
 * provider's enabled API routes and its metadata. oidc-provider throws for a
 * route whose feature is off; such a route is not served, so it is left out.
 */
export function providerApiPaths(provider: ProviderWithRoutes): ReadonlySet<string> {
  const paths = new Set(DISCOVERY_PATHS);
  for (const name of API_ROUTE_NAMES) {
    try {
      paths.add(provider.pathFor(name, { mountPath: '' }));
    } catch {
      // Not enabled in this configuration.
    }
  }
  return paths;
}
