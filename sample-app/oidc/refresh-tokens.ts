import { errors, type Client, type KoaContextWithOidc } from 'oidc-provider';
import type { ResourceServers } from './resources.js';

/** A confidential client's refresh token is replaced once this share of its lifetime has passed. */
const CONFIDENTIAL_ROTATION_PERCENT = 70;

/**
 * Every client registered with the refresh_token grant gets a refresh token
 * with its code, without asking for offline_access: MCP clients never ask
 * for it, and registering the grant is the client's request.
 */
export function issueRefreshToken(_ctx: KoaContextWithOidc, client: Client): boolean {
  return client.grantTypeAllowed('refresh_token');
}

/**
 * The resource the new access token will be for, checked now: oidc-provider
 * resolves it only after consuming the rotated token, so an unknown or
 * foreign `resource` would cost the client its refresh token (RFC 8707 §2.2:
 * the refresh must fail with invalid_target and leave the grant as it was).
 */
function checkRefreshResource(ctx: KoaContextWithOidc, resources: ResourceServers): void {
  const token = ctx.oidc.entities.RefreshToken;
  const requested = ctx.oidc.params.resource;
  if (token === undefined) return;
  let indicator: string | undefined;
  if (requested === undefined) {
    const granted = Array.isArray(token.resource) ? token.resource : [token.resource];
    const defined = granted.filter((value): value is string => typeof value === 'string');
    if (defined.length > 1) {
      throw new errors.InvalidTarget(
        'name one of the granted resources with the resource parameter',
      );
    }
    indicator = defined[0];
  } else {
    if (typeof requested !== 'string' || !token.resourceIndicators.has(requested)) {
      throw new errors.InvalidTarget('the resource was not granted with this refresh token');
    }
    indicator = requested;
  }
  // Still configured (DCR_RESOURCES may have changed since the grant).
  if (indicator !== undefined) resources.find(indicator);
}

/**
 * `rotateRefreshToken`: runs after every other check of a refresh request and
 * just before the token is consumed. Public clients' tokens rotate on every
 * use (RFC 9700 §4.14.2); presenting a rotated-out one makes oidc-provider
 * revoke the whole grant. Confidential clients' tokens rotate near expiry.
 */
export function rotateRefreshToken(
  resources: ResourceServers,
): (ctx: KoaContextWithOidc) => boolean {
  return (ctx) => {
    checkRefreshResource(ctx, resources);
    if (ctx.oidc.client?.clientAuthMethod === 'none') return true;
    const token = ctx.oidc.entities.RefreshToken;
    return token !== undefined && token.ttlPercentagePassed() >= CONFIDENTIAL_ROTATION_PERCENT;
  };
}
