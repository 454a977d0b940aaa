import { errors, type Client, type KoaContextWithOidc } from 'oidc-provider';
import type { ResourceServer, ResourceServers } from './resources.js';

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
 * Returns the indicator, undefined for the provider's default (the
 * registration endpoint).
 */
function checkRefreshResource(
  ctx: KoaContextWithOidc,
  resources: ResourceServers,
): string | undefined {
  const token = ctx.oidc.entities.RefreshToken;
  const requested = ctx.oidc.params.resource;
  if (token === undefined) return undefined;
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
  return indicator;
}

/**
 * The registration scope is refreshed only for a user who is still an
 * administrator: a grant outlives a `demote`, and without this check its
 * refresh tokens would go on minting registration tokens until they expire.
 * Naming other scopes with `scope` still works (RFC 6749 §6).
 */
function checkRegistrationScope(ctx: KoaContextWithOidc, registration: ResourceServer): void {
  const token = ctx.oidc.entities.RefreshToken;
  if (token === undefined) return;
  const asked = ctx.oidc.params.scope === undefined ? token.scopes : ctx.oidc.requestParamScopes;
  const registrationScopes = registration.scopes.filter((scope) => asked.has(scope));
  if (registrationScopes.length === 0) return;
  if (ctx.oidc.entities.Account?.administrator === true) return;
  throw new errors.InvalidGrant(
    `the account is no longer an administrator: ${registrationScopes.join(' ')} cannot be refreshed`,
  );
}

/**
 * `rotateRefreshToken`: runs after every other check of a refresh request and
 * just before the token is consumed, so a refused refresh leaves the token
 * and its grant as they were. Public clients' tokens rotate on every
 * use (RFC 9700 §4.14.2); presenting a rotated-out one makes oidc-provider
 * revoke the whole grant. Confidential clients' tokens rotate near expiry.
 */
export function rotateRefreshToken(
  resources: ResourceServers,
): (ctx: KoaContextWithOidc) => boolean {
  return (ctx) => {
    const indicator = checkRefreshResource(ctx, resources) ?? resources.registration.indicator;
    if (indicator === resources.registration.indicator) {
      checkRegistrationScope(ctx, resources.registration);
    }
    if (ctx.oidc.client?.clientAuthMethod === 'none') return true;
    const token = ctx.oidc.entities.RefreshToken;
    return token !== undefined && token.ttlPercentagePassed() >= CONFIDENTIAL_ROTATION_PERCENT;
  };
}
