import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import {
  authorizationUrl,
  authorizeThroughForms,
  pkce,
  type SignIn,
} from './authorization-flow.js';
import { buildHost, freePort, startHost, type Host } from './host.js';
import { runAccounts } from './sign-in/accounts-cli.js';

const BOOTSTRAP_ID = 'admin-console';
const BOOTSTRAP_SECRET = 'admin-console-secret-0123456789abcdefgh';
const REDIRECT = 'https://console.example.com/callback';
const ADMIN: SignIn = { username: 'admin', password: 'bootstrap-admin-password-01' };
const ALICE: SignIn = { username: 'alice', password: 'alice-password-0123456' };

const BASIC = `Basic ${Buffer.from(`${BOOTSTRAP_ID}:${BOOTSTRAP_SECRET}`).toString('base64')}`;

async function token(host: Host, params: Record<string, string>): Promise<Record<string, string>> {
  const res = await fetch(`${host.url}/oidc/token`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, string>;
}

/** The seed's interactive scenario: the bootstrap client signs a user in (code + PKCE). */
async function signIn(host: Host, user: SignIn): Promise<Record<string, string>> {
  const { verifier, challenge } = pkce();
  const state = randomBytes(12).toString('base64url');
  const callback = await authorizeThroughForms(
    authorizationUrl(host.url, {
      client_id: BOOTSTRAP_ID,
      redirect_uri: REDIRECT,
      scope: 'openid dcr.register',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
    host.url,
    user,
  );
  expect(callback.searchParams.get('state')).toBe(state);
  return token(host, {
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code')!,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
}

async function registerWith(host: Host, accessToken: string): Promise<Response> {
  return fetch(`${host.url}/connect/dcr`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      redirect_uris: ['https://app.example.com/cb'],
      client_name: 'from the console',
    }),
  });
}

beforeAll(() => buildHost(), 120_000);

describe('DCR_BOOTSTRAP_REDIRECT_URIS: the bootstrap client as an interactive administration app', () => {
  let dataDir: string;
  let host: Host;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-bootstrap-ui-'));
    // PGlite opens its data directory once: the account is added before the host starts.
    const added = await runAccounts(
      ['add', ALICE.username],
      { DCR_DATA_DIR: dataDir },
      `${ALICE.password}\n`,
    );
    expect(added.code).toBe(0);
    host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID,
      DCR_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
      DCR_BOOTSTRAP_REDIRECT_URIS: `${REDIRECT} http://localhost:8080/callback`,
      DCR_ADMIN_USERNAME: ADMIN.username,
      DCR_ADMIN_PASSWORD: ADMIN.password,
    });
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("gets the registration scope through an administrator's sign-in, registers, and refreshes", async () => {
    const tokens = await signIn(host, ADMIN);
    expect(decodeJwt(tokens.access_token!)).toMatchObject({
      aud: `${host.url}/connect/dcr`,
      client_id: BOOTSTRAP_ID,
      scope: 'dcr.register',
    });
    expect((await registerWith(host, tokens.access_token!)).status).toBe(201);

    const refreshed = await token(host, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(decodeJwt(refreshed.access_token!).scope).toBe('dcr.register');
    expect((await registerWith(host, refreshed.access_token!)).status).toBe(201);
  }, 60_000);

  it("gets no registration scope through a non-administrator's sign-in: 403 insufficient_scope", async () => {
    const tokens = await signIn(host, ALICE);
    expect(decodeJwt(tokens.access_token!).scope).toBeUndefined();
    const refused = await registerWith(host, tokens.access_token!);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe('insufficient_scope');
  }, 60_000);

  it('keeps client_credentials with the registration scope', async () => {
    const tokens = await token(host, { grant_type: 'client_credentials', scope: 'dcr.register' });
    expect(tokens.scope).toBe('dcr.register');
  });
});
