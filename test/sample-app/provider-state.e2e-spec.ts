import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { authorizeThroughForms, registerClient } from './authorization-flow.js';
import { buildHost, freePort, startHost, type Host } from './host.js';
import { createFreshDatabase, type FreshDatabase } from './sign-in/fresh-database.js';
import {
  pkceAuthorizationRequest,
  redeemCode,
  type AuthorizationResponse,
} from '../support/pkce-code-flow.js';

/**
 * The host's provider state (codes, refresh tokens, grants, sessions) lives in
 * its database: two hosts on one PostgreSQL database redeem each other's codes
 * and refresh tokens, a code is redeemed once, and a restarted host (PGlite,
 * the default) still honours the refresh tokens it issued. The hosts run as
 * child processes, as `npm start` runs them; a user signs in through the login
 * and consent pages by the form contract; openid-client does PKCE, the code
 * exchange and the refreshes.
 */
const ADMIN_PASSWORD = 'provider-state-admin-0123';
const REDIRECT_URI = 'https://app.example.com/cb';

/** A public client (as MCP clients register): its refresh token rotates on every use. */
async function registerPublicClient(host: Host): Promise<string> {
  const { status, body } = await registerClient(host.url, {
    client_name: 'provider state e2e',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  });
  expect(status).toBe(201);
  return body.client_id as string;
}

/** openid-client for the deployment whose issuer `issuerHost` serves, its token requests sent to `tokenHost`. */
async function clientFor(
  issuerHost: Host,
  tokenHost: Host,
  clientId: string,
): Promise<oidc.Configuration> {
  const metadata = (await (
    await fetch(`${issuerHost.url}/oidc/.well-known/openid-configuration`)
  ).json()) as oidc.ServerMetadata;
  const tokenEndpoint = new URL(new URL(metadata.token_endpoint!).pathname, tokenHost.url).href;
  const config = new oidc.Configuration(
    { ...metadata, token_endpoint: tokenEndpoint },
    clientId,
    {},
    oidc.None(),
  );
  oidc.allowInsecureRequests(config);
  return config;
}

/** The administrator signs in and consents at `host`, by the form contract. */
async function signIn(config: oidc.Configuration, host: Host): Promise<AuthorizationResponse> {
  const { url, verifier, state } = await pkceAuthorizationRequest(config, REDIRECT_URI);
  const callback = await authorizeThroughForms(url.href, host.url, {
    username: 'admin',
    password: ADMIN_PASSWORD,
  });
  expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  return { callback, verifier, state };
}

beforeAll(() => buildHost(), 120_000);

describe('two hosts on one PostgreSQL database', () => {
  let database: FreshDatabase;
  let dataDir: string;
  let hostA: Host;
  let hostB: Host;
  let client: string;
  /** Every code and refresh token the tests saw: none may reach the logs. */
  const seen: string[] = [];
  const remember = <T extends { refresh_token?: string }>(tokens: T): T => {
    if (tokens.refresh_token) seen.push(tokens.refresh_token);
    return tokens;
  };

  beforeAll(async () => {
    database = await createFreshDatabase('provider_state');
    // Behind one load balancer: one public URL (so one issuer), one set of keys.
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-provider-state-'));
    const portA = await freePort();
    const env = {
      DATABASE_URL: database.url,
      DCR_DATA_DIR: dataDir,
      DCR_PUBLIC_URL: `http://127.0.0.1:${portA}`,
      DCR_REGISTRATION: 'open',
      DCR_ADMIN_PASSWORD: ADMIN_PASSWORD,
    };
    hostA = await startHost({ ...env, PORT: String(portA) });
    hostB = await startHost({ ...env, PORT: String(await freePort()) });
    client = await registerPublicClient(hostA);
  }, 120_000);

  afterAll(async () => {
    await hostA?.stop();
    await hostB?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('redeems at one host the code the other issued, and refreshes at either', async () => {
    const atA = await clientFor(hostA, hostA, client);
    const atB = await clientFor(hostA, hostB, client);
    const response = await signIn(atA, hostA);
    seen.push(response.callback.searchParams.get('code')!);
    const tokens = remember(await redeemCode(atB, response));
    expect(tokens.refresh_token).toEqual(expect.any(String));

    // Refresh at A with the token B issued, then at B with the one A rotated to.
    const second = remember(await oidc.refreshTokenGrant(atA, tokens.refresh_token!));
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    const third = remember(await oidc.refreshTokenGrant(atB, second.refresh_token!));
    expect(third.refresh_token).not.toBe(second.refresh_token);

    // A rotated-out token, presented at either host, revokes the grant at both.
    await expect(oidc.refreshTokenGrant(atB, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(oidc.refreshTokenGrant(atA, third.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('refuses a code replayed at the other host, and revokes what the code issued', async () => {
    const atA = await clientFor(hostA, hostA, client);
    const atB = await clientFor(hostA, hostB, client);
    const response = await signIn(atA, hostA);
    const tokens = await redeemCode(atA, response);

    await expect(redeemCode(atB, response)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(atA, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('lets one of two hosts redeeming a code at the same moment win, and revokes the grant', async () => {
    const atA = await clientFor(hostA, hostA, client);
    const atB = await clientFor(hostA, hostB, client);
    const response = await signIn(atA, hostA);
    const results = await Promise.allSettled([
      redeemCode(atA, response),
      redeemCode(atB, response),
    ]);
    const won = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const lost = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toEqual([expect.objectContaining({ error: 'invalid_grant' })]);
    await expect(oidc.refreshTokenGrant(atB, won[0]!.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('never logs the codes and refresh tokens it keeps', () => {
    expect(seen.length).toBeGreaterThanOrEqual(4);
    const output = hostA.output() + hostB.output();
    expect(seen.filter((secret) => output.includes(secret))).toEqual([]);
  });
});

describe('a host on PGlite (the default), restarted', () => {
  let dataDir: string;
  let host: Host | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-provider-restart-'));
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the refresh tokens it issued working', async () => {
    const env = {
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_REGISTRATION: 'open',
      DCR_ADMIN_PASSWORD: ADMIN_PASSWORD,
    };
    host = await startHost(env);
    const registered = await registerPublicClient(host);
    const before = await clientFor(host, host, registered);
    const tokens = await redeemCode(before, await signIn(before, host));
    expect(await host.stop()).toBe('SIGTERM');
    // A clean stop: the state's sweeper stopped before the database closed.
    expect(host.output()).toContain('stopped (SIGTERM)');
    expect(host.output()).not.toMatch(/could not sweep|server_error/);

    host = await startHost(env);
    const after = await clientFor(host, host, registered);
    const refreshed = await oidc.refreshTokenGrant(after, tokens.refresh_token!);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // The token rotated out before the restart is still known as used: presenting it revokes.
    await expect(oidc.refreshTokenGrant(after, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(oidc.refreshTokenGrant(after, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  }, 120_000);
});
