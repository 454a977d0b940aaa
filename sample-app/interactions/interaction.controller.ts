import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Client, InteractionDetails, InteractionResults, Provider } from 'oidc-provider';
import { looksLikeClientIdUrl } from '../../lib/index.js';
import { AccountAuthenticator } from '../accounts/account-authenticator.js';
import { normalizeUsername } from '../accounts/account.js';
import { AccountStore } from '../accounts/account-store.js';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { OIDC_PROVIDER } from '../oidc/oidc-provider.module.js';
import { InteractionCsrf } from './interaction-csrf.js';
import { interactionPath } from './interaction-paths.js';
import { formTargetSource, pageHeaders } from './page-security.js';
import { describeScope } from './scope-descriptions.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { consentPage, type ConsentScope } from './views/consent.view.js';
import { loginPage } from './views/login.view.js';
import { messagePage } from './views/message.view.js';

/** One message for every failed sign-in: it never says which part was wrong. */
const SIGN_IN_FAILED = 'Incorrect username or password.';
const THROTTLED = 'Too many failed sign-ins. Wait a few minutes, then try again.';
const EXPIRED =
  'This sign-in request has expired, or was started in another browser. Go back to the application and start again.';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Every registered redirect URI is on this computer: the client is software the user runs. */
function onlyLoopback(client: Client): boolean {
  const uris = client.redirectUris ?? [];
  return (
    uris.length > 0 &&
    uris.every((uri) => {
      const url = URL.canParse(uri) ? new URL(uri) : undefined;
      return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:')
        ? LOOPBACK_HOSTS.has(url.hostname)
        : false;
    })
  );
}

/** What the consent page names as the answer's destination: a host, or a private-use scheme. */
function redirectTarget(redirectUri: string | undefined): string {
  if (redirectUri === undefined || !URL.canParse(redirectUri)) return 'the application';
  const url = new URL(redirectUri);
  return url.host !== '' ? url.host : `${url.protocol} (an app on this device)`;
}

function hostOf(uri: string | undefined): string | undefined {
  return uri !== undefined && URL.canParse(uri) ? new URL(uri).host : undefined;
}

function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The interaction's uid is in the URL and in the provider's cookie: both must agree. */
class InteractionMismatch extends Error {}

/**
 * The sign-in and consent pages over oidc-provider's interactions: GET shows
 * the page the prompt asks for, POST takes its form. Each page is bound to
 * its interaction (cookie + uid + a form token); failures re-render the
 * page here and never redirect to the client.
 */
@Controller('interaction')
export class InteractionController {
  constructor(
    @Inject(OIDC_PROVIDER) private readonly provider: Provider,
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    private readonly accounts: AccountStore,
    private readonly authenticator: AccountAuthenticator,
    private readonly csrf: InteractionCsrf,
    private readonly throttle: SignInThrottle,
  ) {}

  @Get(':uid')
  async show(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const interaction = await this.details(uid, req, res);
    if (!interaction) return;
    if (interaction.prompt.name === 'login') return this.renderLogin(res, interaction, 200);
    if (interaction.prompt.name === 'consent') return this.renderConsent(res, interaction);
    this.send(res, 400, messagePage('Cannot continue', EXPIRED));
  }

  @Post(':uid')
  async submit(
    @Param('uid') uid: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const interaction = await this.details(uid, req, res);
    if (!interaction) return;
    if (!this.csrf.matches(interaction.uid, field(req.body, 'csrf'))) {
      return this.send(res, 403, messagePage('Cannot continue', EXPIRED));
    }
    if (interaction.prompt.name === 'login') return this.login(req, res, interaction);
    if (interaction.prompt.name === 'consent') return this.consent(req, res, interaction);
    this.send(res, 400, messagePage('Cannot continue', EXPIRED));
  }

  /** The interaction of this browser, or undefined once an "expired" page is sent. */
  private async details(
    uid: string,
    req: Request,
    res: Response,
  ): Promise<InteractionDetails | undefined> {
    try {
      const interaction = await this.provider.interactionDetails(req, res);
      if (interaction.uid !== uid) throw new InteractionMismatch();
      return interaction;
    } catch (error) {
      // SessionNotFound (no or expired cookie), or another interaction's cookie.
      if (!(error instanceof InteractionMismatch) && (error as Error).name !== 'SessionNotFound') {
        throw error;
      }
      this.send(res, 400, messagePage('Cannot continue', EXPIRED));
      return undefined;
    }
  }

  private async login(req: Request, res: Response, interaction: InteractionDetails): Promise<void> {
    const username = field(req.body, 'username') ?? '';
    const password = field(req.body, 'password') ?? '';
    const key = normalizeUsername(username).slice(0, 256);
    const address = this.clientAddress(req);
    if (this.throttle.waitMs(key, address) > 0) {
      return this.renderLogin(res, interaction, 429, { username, error: THROTTLED });
    }
    const account = await this.authenticator.authenticate(username, password);
    if (!account) {
      this.throttle.failed(key, address);
      return this.renderLogin(res, interaction, 401, { username, error: SIGN_IN_FAILED });
    }
    this.throttle.succeeded(key);
    await this.finish(
      req,
      res,
      { login: { accountId: account.id } },
      { mergeWithLastSubmission: false },
    );
  }

  private async consent(
    req: Request,
    res: Response,
    interaction: InteractionDetails,
  ): Promise<void> {
    const decision = field(req.body, 'decision');
    if (decision === 'deny') {
      return this.finish(
        req,
        res,
        { error: 'access_denied', error_description: 'the user denied the request' },
        { mergeWithLastSubmission: true },
      );
    }
    if (decision !== 'allow') return this.renderConsent(res, interaction, 400);
    const accountId = interaction.session?.accountId;
    const account = accountId === undefined ? undefined : await this.accounts.findById(accountId);
    if (!account || account.disabled) {
      return this.send(res, 400, messagePage('Cannot continue', EXPIRED));
    }
    const clientId = interaction.params.client_id;
    const grant =
      (interaction.grantId !== undefined &&
        (await this.provider.Grant.find(interaction.grantId))) ||
      new this.provider.Grant({ accountId: account.id, clientId });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } =
      interaction.prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) {
      const refused = scopes.filter((scope) => this.refusedReason(scope, account.administrator));
      const granted = scopes.filter((scope) => !refused.includes(scope));
      if (granted.length > 0) grant.addResourceScope(resource, granted.join(' '));
      // Rejected, not left out: the provider would otherwise ask again for ever.
      if (refused.length > 0) grant.rejectResourceScope(resource, refused.join(' '));
    }
    const grantId = await grant.save();
    await this.accounts.rememberGrant(account.id, clientId, grantId);
    await this.finish(
      req,
      res,
      { consent: interaction.grantId === undefined ? { grantId } : {} },
      { mergeWithLastSubmission: true },
    );
  }

  /** Hands the result to the provider, which redirects; an interaction gone meanwhile gets the expired page. */
  private async finish(
    req: Request,
    res: Response,
    result: InteractionResults,
    options: { mergeWithLastSubmission: boolean },
  ): Promise<void> {
    try {
      await this.provider.interactionFinished(req, res, result, options);
    } catch (error) {
      if ((error as Error).name !== 'SessionNotFound' || res.headersSent) throw error;
      this.send(res, 400, messagePage('Cannot continue', EXPIRED));
    }
  }

  /** Why this user can't grant the scope; undefined when they can. */
  private refusedReason(scope: string, administrator: boolean): string | undefined {
    return scope === this.config.token.requiredScope && !administrator
      ? 'Only an administrator can grant this; it will not be granted.'
      : undefined;
  }

  private async renderLogin(
    res: Response,
    interaction: InteractionDetails,
    status: number,
    state: { username?: string; error?: string } = {},
  ): Promise<void> {
    const client = await this.provider.Client.find(interaction.params.client_id);
    this.send(
      res,
      status,
      loginPage({
        action: interactionPath(this.config, interaction.uid),
        csrfToken: this.csrf.tokenFor(interaction.uid),
        clientName: client?.clientName ?? interaction.params.client_id,
        ...state,
      }),
      [formTargetSource(interaction.params.redirect_uri)],
    );
  }

  private async renderConsent(
    res: Response,
    interaction: InteractionDetails,
    status = 200,
  ): Promise<void> {
    const client = await this.provider.Client.find(interaction.params.client_id);
    const accountId = interaction.session?.accountId;
    const account = accountId === undefined ? undefined : await this.accounts.findById(accountId);
    if (!client || !account) return this.send(res, 400, messagePage('Cannot continue', EXPIRED));
    const { missingOIDCScope = [], missingResourceScopes = {} } = interaction.prompt.details;
    const requested = [
      ...new Set([...missingOIDCScope, ...Object.values(missingResourceScopes).flat()]),
    ];
    const scopes: ConsentScope[] = requested.map((name) => ({
      name,
      description: describeScope(name, this.config.token.requiredScope),
      refused: this.refusedReason(name, account.administrator),
    }));
    this.send(
      res,
      status,
      consentPage({
        action: interactionPath(this.config, interaction.uid),
        csrfToken: this.csrf.tokenFor(interaction.uid),
        clientName: client.clientName ?? client.clientId,
        clientId: client.clientId,
        clientWebsite: hostOf(client.clientUri),
        documentHost: looksLikeClientIdUrl(client.clientId) ? hostOf(client.clientId) : undefined,
        redirectTarget: redirectTarget(interaction.params.redirect_uri),
        localOnly: onlyLoopback(client),
        username: account.username,
        scopes,
      }),
      [formTargetSource(interaction.params.redirect_uri)],
    );
  }

  private send(
    res: Response,
    status: number,
    body: string,
    formTargets: (string | undefined)[] = [],
  ): void {
    res.status(status).set(pageHeaders(formTargets)).type('html').send(body);
  }

  /**
   * The address failed sign-ins are counted against. Behind the TLS proxy an
   * https public URL implies, that is the entry the proxy appended last to
   * X-Forwarded-For (earlier ones are the client's to invent).
   */
  private clientAddress(req: Request): string {
    const socket = req.socket.remoteAddress ?? 'unknown';
    if (new URL(this.config.publicUrl).protocol !== 'https:') return socket;
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)
      ?.split(',')
      .pop()
      ?.trim();
    return last || socket;
  }
}
