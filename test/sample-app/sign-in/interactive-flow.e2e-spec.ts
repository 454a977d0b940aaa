import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { buildHost, freePort, startHost, type Host } from '../host.js';
import { runAccounts } from './accounts-cli.js';
import { FormAgent, postForms } from './form-agent.js';
import { createFreshDatabase, type FreshDatabase } from './fresh-database.js';
import {
  authorizationRequest,
  clientConfig,
  REDIRECT_URI,
  bootstrapToken,
  registerWebClient,
  signInAndAllow,
  type InteractiveClient,
} from './interactive-client.js';

const ADMIN_PASSWORD = 'e2e-admin-password-0123';
const ALICE_PASSWORD = 'alice-password-0123456';

async function register(host: Host, token: string): Promise<Response> {
  return fetch(`${host.url}/connect/dcr`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'registered by a signed-in user',
      grant_types: ['client_credentials'],
      response_types: [],
    }),
  });
}

beforeAll(() => buildHost(), 120_000);

describe('sign-in, consent and the code flow (host on PostgreSQL, child process)', () => {
  let database: FreshDatabase;
  let dataDir: string;
  let host: Host;
  let env: Record<string, string>;
  let web: InteractiveClient;
  let registrar: InteractiveClient;

  beforeAll(async () => {
    database = await createFreshDatabase('signin');
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-signin-'));
    env = { DATABASE_URL: database.url, DCR_DATA_DIR: dataDir };
    // The bootstrap client signs administrators in too (the interactive-administrator story).
    registrar = { clientId: 'ops-bootstrap', secret: 'e2e-bootstrap-secret-0123456789abcdef' };
    host = await startHost({
      ...env,
      PORT: String(await freePort()),
      DCR_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DCR_BOOTSTRAP_CLIENT_ID: registrar.clientId,
      DCR_BOOTSTRAP_CLIENT_SECRET: registrar.secret,
      DCR_BOOTSTRAP_REDIRECT_URIS: REDIRECT_URI,
    });
    web = await registerWebClient(host, await bootstrapToken(host, registrar), {
      client_name: 'web-app app',
    });
    // The accounts command, against the running host's PostgreSQL database.
    const added = await runAccounts(['add', 'alice'], env, `${ALICE_PASSWORD}\n`);
    expect(added).toMatchObject({ code: 0, stdout: 'created "alice"\n' });
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a login page by the form contract, then consent, then redirects with code, state and iss', async () => {
    const config = await clientConfig(host, web);
    const { url, verifier, state } = await authorizationRequest(config, 'openid');
    const agent = new FormAgent(host.url);

    const login = await agent.request(url.href);
    expect(login.status).toBe(200);
    expect(login.headers.get('content-type')).toMatch(/^text\/html/);
    const [loginForm] = postForms(login.body);
    expect(postForms(login.body)).toHaveLength(1);
    expect(Object.keys(loginForm.inputs)).toEqual(expect.arrayContaining(['username', 'password']));

    const consent = await agent.submit(login, { username: 'admin', password: ADMIN_PASSWORD });
    expect(consent.status).toBe(200);
    const [consentForm] = postForms(consent.body);
    expect(consentForm.buttons).toEqual(
      expect.arrayContaining([
        { name: 'decision', value: 'allow' },
        { name: 'decision', value: 'deny' },
      ]),
    );
    expect(consent.body).toContain('web-app app');
    expect(consent.body).toContain('app.example.test');

    const done = await agent.submit(consent, { decision: 'allow' });
    const callback = new URL(done.redirectedTo!);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('iss')).toBe(`${host.url}/oidc`);
    expect(callback.searchParams.get('code')).toBeTruthy();

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.claims()?.sub).toEqual(expect.any(String));
  });

  it('answers a wrong password and an unknown username alike, without redirecting', async () => {
    const config = await clientConfig(host, web);
    const answers = [];
    for (const username of ['alice', 'nobody-here']) {
      const agent = new FormAgent(host.url);
      const login = await agent.request((await authorizationRequest(config, 'openid')).url.href);
      const failed = await agent.submit(login, { username, password: 'wrong-password-123' });
      expect(failed.redirectedTo).toBeUndefined();
      answers.push({
        status: failed.status,
        // The page differs only by the username it keeps in the form, and the interaction.
        body: failed.body
          .replaceAll(username, 'USER')
          .replace(/\/interaction\/[^"]+/, 'UID')
          .replace(/name="csrf" value="[^"]+"/, 'CSRF'),
      });
    }
    expect(answers[0].status).toBe(401);
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0].body).toContain('Incorrect username or password.');
  });

  it('skips consent in a new session when the same user already granted the same scopes', async () => {
    const config = await clientConfig(host, web);
    const first = new FormAgent(host.url);
    await signInAndAllow(
      first,
      (await authorizationRequest(config, 'openid')).url,
      'alice',
      ALICE_PASSWORD,
    );

    const second = new FormAgent(host.url);
    const login = await second.request((await authorizationRequest(config, 'openid')).url.href);
    const after = await second.submit(login, { username: 'alice', password: ALICE_PASSWORD });
    expect(after.redirectedTo).toContain('code=');

    // More scopes than granted: consent again.
    const more = await second.request(
      (await authorizationRequest(config, 'openid offline_access', { prompt: 'consent' })).url.href,
    );
    expect(postForms(more.body)[0]?.buttons).toContainEqual({ name: 'decision', value: 'deny' });
  });

  it('redirects with error=access_denied when the user denies', async () => {
    const config = await clientConfig(host, web);
    const { url, state } = await authorizationRequest(config, 'openid offline_access', {
      prompt: 'consent',
    });
    const agent = new FormAgent(host.url);
    const login = await agent.request(url.href);
    const consent = await agent.submit(login, { username: 'admin', password: ADMIN_PASSWORD });
    const denied = new URL((await agent.submit(consent, { decision: 'deny' })).redirectedTo!);
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe(state);
    expect(denied.searchParams.get('iss')).toBe(`${host.url}/oidc`);
    expect(denied.searchParams.get('code')).toBeNull();
  });

  it("gives dcr.register through an administrator's sign-in only", async () => {
    const config = await clientConfig(host, registrar);
    const tokenFor = async (username: string, password: string): Promise<string> => {
      const { url, verifier, state } = await authorizationRequest(config, 'openid dcr.register');
      const callback = await signInAndAllow(new FormAgent(host.url), url, username, password);
      const tokens = await oidc.authorizationCodeGrant(
        config,
        new URL(callback),
        { pkceCodeVerifier: verifier, expectedState: state },
        // RFC 8707: the registration endpoint is the resource the token is for.
        { resource: `${host.url}/connect/dcr` },
      );
      return tokens.access_token;
    };

    const adminToken = await tokenFor('admin', ADMIN_PASSWORD);
    expect(String(decodeJwt(adminToken).scope).split(' ')).toContain('dcr.register');
    expect((await register(host, adminToken)).status).toBe(201);

    const aliceToken = await tokenFor('alice', ALICE_PASSWORD);
    expect(String(decodeJwt(aliceToken).scope ?? '').split(' ')).not.toContain('dcr.register');
    const refused = await register(host, aliceToken);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe('insufficient_scope');
  });

  it('refuses a disabled account at once: its refresh token, then its sign-in, answered like a wrong password', async () => {
    expect((await runAccounts(['add', 'bob'], env, 'bob-password-012345\n')).code).toBe(0);
    const config = await clientConfig(host, web);
    const { url, verifier, state } = await authorizationRequest(config, 'openid');
    const callback = await signInAndAllow(
      new FormAgent(host.url),
      url,
      'bob',
      'bob-password-012345',
    );
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toBeTruthy();

    expect((await runAccounts(['disable', 'bob'], env)).stdout).toBe('disabled "bob"\n');
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const agent = new FormAgent(host.url);
    const login = await agent.request((await authorizationRequest(config, 'openid')).url.href);
    const failed = await agent.submit(login, { username: 'bob', password: 'bob-password-012345' });
    expect(failed.status).toBe(401);
    expect(failed.body).toContain('Incorrect username or password.');
  });

  it('warns on consent when every redirect URI of the client is on localhost', async () => {
    const loopback = 'http://127.0.0.1:8123/callback';
    const native = await registerWebClient(host, await bootstrapToken(host, registrar), {
      client_name: 'desktop tool',
      application_type: 'native',
      redirect_uris: [loopback],
      token_endpoint_auth_method: 'none',
    });
    const config = await clientConfig(host, native);
    const agent = new FormAgent(host.url);
    const { url } = await authorizationRequest(config, 'openid', { redirect_uri: loopback });
    const login = await agent.request(url.href);
    const consent = await agent.submit(login, { username: 'alice', password: ALICE_PASSWORD });
    expect(consent.body).toContain('every address it registered is on');
    expect(consent.body).toContain('127.0.0.1:8123');
    // The web client (an https redirect URI) gets no such warning.
    const webConsent = await agent.request(
      (await authorizationRequest(await clientConfig(host, web), 'openid', { prompt: 'consent' }))
        .url.href,
    );
    expect(webConsent.body).toContain('name="decision"');
    expect(webConsent.body).not.toContain('every address it registered is on');
  });

  it('stops reusing a grant, and refreshing tokens, with dcr.register once its user is demoted', async () => {
    expect(
      (await runAccounts(['add', 'carol', '--admin'], env, 'carol-password-0123\n')).code,
    ).toBe(0);
    const config = await clientConfig(host, registrar);
    const scopeOf = (accessToken: string): string => String(decodeJwt(accessToken).scope ?? '');
    const signIn = async (): Promise<{ consented: boolean; scope: string; refresh: string }> => {
      const { url, verifier, state } = await authorizationRequest(config, 'openid dcr.register');
      const agent = new FormAgent(host.url);
      const login = await agent.request(url.href);
      let page = await agent.submit(login, { username: 'carol', password: 'carol-password-0123' });
      const consented = page.redirectedTo === undefined;
      if (consented) page = await agent.submit(page, { decision: 'allow' });
      const tokens = await oidc.authorizationCodeGrant(
        config,
        new URL(page.redirectedTo!),
        { pkceCodeVerifier: verifier, expectedState: state },
        { resource: `${host.url}/connect/dcr` },
      );
      return { consented, scope: scopeOf(tokens.access_token), refresh: tokens.refresh_token! };
    };

    const first = await signIn();
    expect(first).toMatchObject({ consented: true, scope: 'dcr.register' });
    // Remembered: a new session skips consent.
    expect(await signIn()).toMatchObject({ consented: false, scope: 'dcr.register' });
    const refreshed = await oidc.refreshTokenGrant(config, first.refresh);
    expect(scopeOf(refreshed.access_token)).toBe('dcr.register');
    const refresh = refreshed.refresh_token ?? first.refresh;

    expect((await runAccounts(['demote', 'carol'], env)).code).toBe(0);
    // The refresh token no longer mints the registration scope...
    await expect(oidc.refreshTokenGrant(config, refresh)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // ...and still refreshes what the user may hold (the refused attempt left it usable).
    const narrowed = await oidc.refreshTokenGrant(config, refresh, { scope: 'openid' });
    expect(scopeOf(narrowed.access_token)).toBe('');
    // Asked again, and granted no registration scope.
    expect(await signIn()).toMatchObject({ consented: true, scope: '' });
  });
});
