import * as oidc from 'openid-client';
import type { Host } from '../host.js';
import {
  pkceAuthorizationRequest,
  type PkceAuthorizationRequest,
} from '../../support/pkce-code-flow.js';
import type { FormAgent, Page } from './form-agent.js';

export const REDIRECT_URI = 'https://app.example.test/cb';

export interface InteractiveClient {
  clientId: string;
  secret: string;
}

/** A token for the bootstrap client (client_credentials, the registration scope). */
export async function bootstrapToken(host: Host, bootstrap: InteractiveClient): Promise<string> {
  const config = await clientConfig(host, bootstrap);
  return (await oidc.clientCredentialsGrant(config, { scope: 'dcr.register' })).access_token;
}

/** Registers a web client for the code flow at /connect/dcr, as an application would. */
export async function registerWebClient(
  host: Host,
  token: string,
  metadata: Record<string, unknown> = {},
): Promise<InteractiveClient> {
  const res = await fetch(`${host.url}/connect/dcr`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'e2e web app',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...metadata,
    }),
  });
  const body = (await res.json()) as { client_id: string; client_secret: string };
  if (res.status !== 201) throw new Error(`registration failed: ${JSON.stringify(body)}`);
  return { clientId: body.client_id, secret: body.client_secret };
}

export async function clientConfig(
  host: Host,
  client: InteractiveClient,
): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(`${host.url}/oidc`), client.clientId, client.secret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
}

/** An authorization request with PKCE (S256) and a state, to this client's REDIRECT_URI. */
export function authorizationRequest(
  config: oidc.Configuration,
  scope: string,
  extra: Record<string, string> = {},
): Promise<PkceAuthorizationRequest> {
  return pkceAuthorizationRequest(config, REDIRECT_URI, scope, extra);
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
