import * as oidc from 'openid-client';
import {
  hashSecret,
  PgPoolDatabase,
  PostgresClientStore,
  type ClientMetadata,
} from '../../../lib/index.js';
import type { Host } from '../host.js';
import type { FormAgent, Page } from './form-agent.js';

export const REDIRECT_URI = 'https://app.example.test/cb';

export interface InteractiveClient {
  clientId: string;
  secret: string;
}

/** Writes a code-flow client straight into the host's store (before the host starts). */
export async function storeInteractiveClient(
  pool: import('pg').Pool,
  clientId: string,
  metadata: Partial<ClientMetadata> = {},
): Promise<InteractiveClient> {
  const store = new PostgresClientStore(new PgPoolDatabase(pool, false), 'public');
  await store.migrate();
  const secret = `${clientId}-secret-0123456789abcdefghijkl`;
  await store.create({
    clientId,
    metadata: {
      client_name: `${clientId} app`,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'web',
      ...metadata,
    },
    clientIdIssuedAt: Math.floor(Date.now() / 1000),
    clientSecretHash: hashSecret(secret),
    clientSecretExpiresAt: 0,
    updatedAt: Math.floor(Date.now() / 1000),
  });
  return { clientId, secret };
}

export async function clientConfig(
  host: Host,
  client: InteractiveClient,
): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(`${host.url}/oidc`), client.clientId, client.secret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
}

/** An authorization request with PKCE (S256) and a state, as openid-client builds it. */
export async function authorizationRequest(
  config: oidc.Configuration,
  scope: string,
  extra: Record<string, string> = {},
): Promise<{ url: URL; verifier: string; state: string }> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope,
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, verifier, state };
}

/** Signs in and allows (when asked), by the form contract; resolves the final redirect. */
export async function signInAndAllow(
  agent: FormAgent,
  url: URL,
  username: string,
  password: string,
): Promise<string> {
  let page: Page = await agent.request(url.href);
  if (page.redirectedTo === undefined && page.body.includes('name="password"')) {
    page = await agent.submit(page, { username, password });
  }
  if (page.redirectedTo === undefined && page.body.includes('name="decision"')) {
    page = await agent.submit(page, { decision: 'allow' });
  }
  if (page.redirectedTo === undefined) {
    throw new Error(`no redirect to the client: ${page.status} ${page.body.slice(0, 500)}`);
  }
  return page.redirectedTo;
}
