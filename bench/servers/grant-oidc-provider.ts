import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { StartServer } from '../scenario.js';
import {
  BENCH_USER,
  CODE_FLOW,
  codeExchangeRequest,
  mintCodes,
  refreshRequest,
  signIn,
} from './code-flow.js';
import { PROVIDER_TTL } from '../../sample-app/oidc/lifetimes.js';
import { listenOnLoopback } from './listen.js';
import { MapAdapter } from './map-adapter.js';
import { anchorJwks } from './provider-keys.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The part of oidc-provider this anchor drives (the package ships no types). */
interface AnchorProvider {
  callback(): Listener;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ params: Interaction }>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
  ): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  };
}
type ProviderClass = new (issuer: string, configuration: object) => AnchorProvider;
interface Interaction {
  client_id: string;
  resource: string;
  scope: string;
}
interface RefreshContext {
  oidc: { client: { clientAuthMethod: string }; entities: { RefreshToken: RefreshToken } };
}
interface RefreshToken {
  ttlPercentagePassed(): number;
}

const CLIENT = {
  clientId: 'bench-static-web-client',
  clientSecret: 'bench-static-web-client-secret-0123456789abcdef',
};

/** The provider options of the host's code flow, on one static client and an in-memory adapter. */
function configuration(): object {
  return {
    clients: [
      {
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        redirect_uris: [CODE_FLOW.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: CODE_FLOW.scope,
      },
    ],
    adapter: MapAdapter,
    jwks: anchorJwks(),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: [CODE_FLOW.scope],
    pkce: { required: () => true },
    // As the host: a refresh token for every client with the grant, a
    // confidential client's rotated only after 70% of its lifetime.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: (ctx: RefreshContext) =>
      ctx.oidc.client.clientAuthMethod === 'none' ||
      ctx.oidc.entities.RefreshToken.ttlPercentagePassed() >= 70,
    ttl: PROVIDER_TTL,
    interactions: { url: (_ctx: unknown, { uid }: { uid: string }) => `/interaction/${uid}` },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub }),
    }),
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => CODE_FLOW.resource,
        getResourceServerInfo: async () => ({
          scope: CODE_FLOW.scope,
          audience: CODE_FLOW.resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: PROVIDER_TTL.AccessToken,
          jwt: { sign: { alg: 'ES256' } },
        }),
        useGrantedResource: async () => true,
      },
    },
  };
}

/**
 * The provider, with an interaction that signs BENCH_USER in and grants what
 * was asked at once, with no page (the pages are the host's, and not loaded).
 */
function withAutoConsent(provider: AnchorProvider): Listener {
  const callback = provider.callback();
  const consent = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { params } = await provider.interactionDetails(req, res);
    const accountId = BENCH_USER.username;
    const grant = new provider.Grant({ accountId, clientId: params.client_id });
    // What the host's consent grants: the scope as the provider's and as the resource's.
    grant.addOIDCScope(params.scope);
    grant.addResourceScope(params.resource, params.scope);
    await provider.interactionFinished(req, res, {
      login: { accountId },
      consent: { grantId: await grant.save() },
    });
  };
  return (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    consent(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  };
}

/**
 * The anchor of the code and refresh rows: plain node-oidc-provider 9
 * configured as the host's code flow (one resource, ES256 RFC 9068 access
 * tokens, PKCE required, refresh tokens, client_secret_basic). Its codes are
 * minted as the host's are, over HTTP from a signed-in session, in this
 * process before the load; only POST /token is measured. params.grant and
 * params.codes as in sample-host-grant.ts.
 */
export const startServer: StartServer = async (params) => {
  const specifier = 'oidc-provider';
  const { Provider } = (await import(specifier)) as { Provider: ProviderClass };
  const server = createServer();
  const url = await listenOnLoopback(server);
  server.on('request', withAutoConsent(new Provider(url, configuration())));
  const session = await signIn(`${url}/auth`, CLIENT);
  const tokenEndpoint = `${url}/token`;
  const request =
    params.grant === 'refresh'
      ? await refreshRequest(tokenEndpoint, CLIENT, session)
      : codeExchangeRequest(CLIENT, session, await mintCodes(session, Number(params.codes)));
  return { url: tokenEndpoint, ...request };
};
