import type { Grant, ProviderContext } from 'oidc-provider';
import type { AccountStore } from '../accounts/account-store.js';
import type { SampleConfig } from '../config.js';
import { providerApiPaths, type ProviderWithRoutes } from '../oidc/provider-routes.js';
import { interactionPath } from './interaction-paths.js';
import {
  formTargetSource,
  pageHeaders,
  withFormTargets,
  withoutNoneBesideHashes,
} from './page-security.js';
import { logoutPage } from './views/logout.view.js';
import { messagePage } from './views/message.view.js';

/** True when the grant holds `scope` for any resource. */
function grantHolds(grant: Grant, scope: string): boolean {
  return Object.keys(grant.resources ?? {}).some((resource) =>
    grant.getResourceScope(resource).split(' ').includes(scope),
  );
}

/** Writes one of our pages as the provider's response, with the pages' security headers. */
function render(
  ctx: ProviderContext,
  body: string,
  formTargets: (string | undefined)[] = [],
): void {
  for (const [name, value] of Object.entries(pageHeaders(formTargets))) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = body;
}

/**
 * The provider options of end-user sign-in: where interactions go (our
 * controller), who an account is, which grant is remembered, sign-out and
 * the pages the provider renders itself. Kept in one place, apart from the
 * grant and token options in create-oidc-provider.ts.
 */
export function interactionOptions(
  config: SampleConfig,
  accounts: AccountStore,
  cookieKeys: string[],
): Record<string, unknown> {
  const registrationScope = config.token.requiredScope;
  return {
    interactions: {
      url: async (_ctx: ProviderContext, interaction: { uid: string }) =>
        interactionPath(config, interaction.uid),
    },
    // Disabled or deleted accounts are not found: their sessions end, their refresh tokens fail.
    findAccount: async (_ctx: ProviderContext, sub: string) => {
      const account = await accounts.findById(sub);
      if (!account || account.disabled) return undefined;
      return {
        accountId: account.id,
        administrator: account.administrator,
        claims: async () => ({ sub: account.id }),
      };
    },
    /**
     * The session's grant, else the one this user last gave this client:
     * consent is skipped when it already covers the request. A grant that
     * holds the registration scope is not reused once its user is no longer
     * an administrator.
     */
    loadExistingGrant: async (ctx: ProviderContext) => {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session.accountId;
      if (clientId === undefined || accountId === undefined) return undefined;
      const grantId =
        ctx.oidc.result?.consent?.grantId ??
        ctx.oidc.session.grantIdFor(clientId) ??
        (await accounts.rememberedGrant(accountId, clientId));
      if (grantId === undefined) return undefined;
      const grant = await ctx.oidc.provider.Grant.find(grantId);
      if (!grant || grant.accountId !== accountId || grant.clientId !== clientId) return undefined;
      if (grantHolds(grant, registrationScope) && ctx.oidc.account?.administrator !== true) {
        return undefined;
      }
      return grant;
    },
    // Sent on same-site navigations only: a form posted from another site arrives without them.
    cookies: {
      keys: cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    claims: { openid: ['sub'] },
    renderError: async (
      ctx: ProviderContext,
      out: { error?: string; error_description?: string },
    ) =>
      render(
        ctx,
        messagePage(
          'Something went wrong',
          out.error_description ?? 'The request could not be completed.',
        ),
      ),
    features: {
      // The development login screen would let anyone sign in as anyone.
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: ProviderContext, form: string) =>
          render(ctx, logoutPage(ctx.host, form), [
            formTargetSource(ctx.oidc.params?.post_logout_redirect_uri as string | undefined),
          ]),
        postLogoutSuccessSource: async (ctx: ProviderContext) =>
          render(ctx, messagePage('Signed out', 'You are signed out of this server.')),
      },
    },
  };
}

/** The redirect targets of a provider request, whichever its page may send a form to. */
function requestFormTargets(ctx: ProviderContext): (string | undefined)[] {
  const params = ctx.oidc?.params ?? {};
  return [params.redirect_uri, params.post_logout_redirect_uri].map((value) =>
    typeof value === 'string' ? formTargetSource(value) : undefined,
  );
}

/**
 * The pages' headers on every page the provider answers (its error, sign-out
 * and form_post pages included), and on its redirects (their Referrer-Policy
 * applies to the request that follows). Set before the provider runs, because
 * its form_post page appends the hash of its auto-submit script to
 * script-src; afterwards an HTML page's form-action gets the request's
 * redirect target. The API routes (token, introspection, revocation, JWKS,
 * userinfo, metadata...) never answer a page: they get `nosniff` only, and
 * oidc-provider's own `cache-control: no-store` where it applies, and the
 * token endpoint, the hot path, skips the page policy's work.
 */
export function securePages(
  provider: ProviderWithRoutes & {
    use(middleware: (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>): void;
  },
): void {
  const apiPaths = providerApiPaths(provider);
  // The same on every page: built once.
  const { 'cache-control': _caching, ...headers } = pageHeaders();
  const fixedHeaders = Object.entries(headers);
  const securePage = async (ctx: ProviderContext, next: () => Promise<void>): Promise<void> => {
    for (const [name, value] of fixedHeaders) ctx.set(name, value);
    await next();
    const policy = ctx.response.get('content-security-policy');
    if (policy && ctx.response.is('html')) {
      ctx.set(
        'content-security-policy',
        withFormTargets(withoutNoneBesideHashes(policy), requestFormTargets(ctx)),
      );
    }
  };
  provider.use((ctx, next) => {
    if (!apiPaths.has(ctx.path)) return securePage(ctx, next);
    ctx.set('x-content-type-options', 'nosniff');
    return next();
  });
}
