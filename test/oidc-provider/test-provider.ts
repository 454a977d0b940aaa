import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Provider } from 'oidc-provider';
import type { JWK } from 'jose';
import type { ClientStore } from '../../lib/store/client-store.js';
import { dcrProviderAdapter } from '../../lib/oidc-provider/dcr-provider-adapter.js';
import { useHashedClientSecrets } from '../../lib/oidc-provider/hashed-client-secrets.js';
import type { ProviderState } from '../../lib/oidc-provider/provider-state.js';

/** Keys every instance of one deployment shares (signing and cookie keys). */
export interface DeploymentKeys {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

export function deploymentKeys(): DeploymentKeys {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return {
    jwks: {
      keys: [
        { ...(rsa.export({ format: 'jwk' }) as JWK), alg: 'RS256', use: 'sig', kid: 'rs' },
        { ...(ec.export({ format: 'jwk' }) as JWK), alg: 'ES256', use: 'sig', kid: 'ec' },
      ],
    },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}

/** The part of oidc-provider's Provider these tests drive (the host's declarations cover less). */
export interface InteractionProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ params: Record<string, string> }>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
  ): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  };
}

/** One instance of the deployment: an oidc-provider on its own HTTP server. */
export interface TestProviderInstance {
  url: string;
  close(): Promise<void>;
}

/** Whom the test's interaction signs in (the real login page is the host's). */
export const ACCOUNT_ID = 'alice';

/**
 * The provider options listenWithAutoGrant's interactions rely on: the
 * interaction URL it serves, and accounts that are their sub alone.
 */
export const AUTO_GRANT_OPTIONS = {
  interactions: {
    url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
  },
  findAccount: async (_ctx: unknown, sub: string) => ({
    accountId: sub,
    claims: async () => ({ sub }),
  }),
};

/**
 * An oidc-provider with the DCR adapter over `store` and `state`, issuing
 * opaque access tokens (so they live in the state) and refresh tokens to every
 * client allowed the grant, rotating them. Its interaction signs ACCOUNT_ID in
 * and grants what was asked, with no page: the pages are not what is tested.
 */
export async function startTestProvider(options: {
  issuer: string;
  port: number;
  keys: DeploymentKeys;
  store: ClientStore;
  state: ProviderState;
}): Promise<TestProviderInstance> {
  const provider = new Provider(options.issuer, {
    adapter: dcrProviderAdapter(options.store, { state: options.state }),
    jwks: options.keys.jwks,
    cookies: { keys: options.keys.cookieKeys },
    clientAuthMethods: ['client_secret_basic', 'none'],
    scopes: ['openid'],
    features: { devInteractions: { enabled: false } },
    ...AUTO_GRANT_OPTIONS,
    pkce: { required: () => true },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 86_400,
      IdToken: 600,
      Interaction: 600,
      RefreshToken: 86_400,
      Session: 86_400,
    },
  }) as unknown as InteractionProvider & Parameters<typeof useHashedClientSecrets>[0];
  useHashedClientSecrets(provider);
  const server = await listenWithAutoGrant(provider, options.port);
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * Serves `provider` on 127.0.0.1:`port`; its interactions (at /interaction/<uid>)
 * sign ACCOUNT_ID in and grant the scope asked for, with no page.
 */
export async function listenWithAutoGrant(
  provider: InteractionProvider,
  port: number,
): Promise<Server> {
  const callback = provider.callback();
  const server = createServer((req, res) => {
    // No kept-alive sockets: a client must never reuse one into a stopped instance.
    res.shouldKeepAlive = false;
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    void (async () => {
      const { params } = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: ACCOUNT_ID, clientId: params.client_id! });
      grant.addOIDCScope(params.scope!);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, {
        login: { accountId: ACCOUNT_ID },
        consent: { grantId },
      });
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/**
 * A user agent: follows redirects by hand, keeping cookies, until one points
 * at `redirectUri`; returns that URL (the authorization response).
 * `rewrite` may send any hop to another instance of the deployment.
 */
export async function authorize(
  start: URL,
  redirectUri: string,
  rewrite: (url: URL, hop: number) => URL = (url) => url,
): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    url = rewrite(url, hop);
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const location = res.headers.get('location');
    if (!location)
      throw new Error(`no redirect from ${url.pathname}: ${res.status} ${await res.text()}`);
    const next = new URL(location, url);
    if (next.href.startsWith(redirectUri)) return next;
    url = next;
  }
  throw new Error('too many redirects');
}
