import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizationUrl, authorizeThroughForms, pkce } from './authorization-flow.js';
import {
  json,
  startTestDocumentServers,
  type TestHttpsServer,
  type TestTls,
} from '../support/test-https.js';
import { buildHost, freePort, startHost, type Host } from './host.js';

const USER = { username: 'cimd-admin', password: 'cimd-admin-password-0123456789' };

/**
 * The host resolves URL client_ids at its provider through the module
 * (DCR_CLIENT_ID_METADATA_DOCUMENTS), trusting a private CA the standard way
 * (NODE_EXTRA_CA_CERTS), with DCR_FETCH_ALLOW_HOSTS exempting one loopback
 * host:port from the address rule and nothing else.
 */
beforeAll(() => buildHost(), 60_000);

describe('sample-app host: Client ID Metadata Documents', () => {
  let dataDir: string;
  let tls: TestTls;
  let docs: TestHttpsServer;
  let canary: TestHttpsServer;
  let host: Host;

  async function authorizationPage(clientId: string): Promise<{ status: number; page: string }> {
    const url = new URL(`${host.url}/oidc/auth`);
    url.search = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: 'http://localhost:53682/callback',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    return { status: res.status, page: await res.text() };
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-cimd-host-'));
    ({ tls, docs, canary } = await startTestDocumentServers(['localhost']));
    writeFileSync(join(dataDir, 'test-ca.pem'), tls.caCert);
    host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_FETCH_ALLOW_HOSTS: `localhost:${docs.port}`,
      NODE_EXTRA_CA_CERTS: join(dataDir, 'test-ca.pem'),
      DCR_ADMIN_USERNAME: USER.username,
      DCR_ADMIN_PASSWORD: USER.password,
    });
  }, 60_000);

  afterAll(async () => {
    await host?.stop();
    await docs?.close();
    await canary?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('advertises client_id_metadata_document_supported', async () => {
    const res = await fetch(`${host.url}/oidc/.well-known/openid-configuration`);
    expect(
      ((await res.json()) as Record<string, unknown>).client_id_metadata_document_supported,
    ).toBe(true);
  });

  it('a CIMD client signs a user in (code + PKCE, any loopback port); a second flow within max-age fetches nothing', async () => {
    const clientId = `https://localhost:${docs.port}/oauth/claude-code-client-metadata`;
    docs.route(
      '/oauth/claude-code-client-metadata',
      json(
        {
          client_id: clientId,
          client_name: 'Claude Code (test)',
          redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        },
        { 'cache-control': 'max-age=300' },
      ),
    );
    for (const redirectUri of [
      'http://localhost:53682/callback',
      'http://127.0.0.1:41999/callback',
    ]) {
      const { verifier, challenge } = pkce();
      const callback = await authorizeThroughForms(
        authorizationUrl(host.url, {
          client_id: clientId,
          redirect_uri: redirectUri,
          scope: 'openid',
          state: 'st',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
        host.url,
        USER,
      );
      expect(callback.href.startsWith(redirectUri)).toBe(true);
      const token = await fetch(`${host.url}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: clientId,
          code: callback.searchParams.get('code')!,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      });
      expect(token.status).toBe(200);
      expect(((await token.json()) as Record<string, unknown>).access_token).toEqual(
        expect.any(String),
      );
    }
    expect(docs.requests('/oauth/claude-code-client-metadata')).toBe(1);
  });

  it('fetches an allowed document through the module and answers invalid_client with the reason', async () => {
    const clientId = `https://localhost:${docs.port}/clients/mismatch`;
    docs.route(
      '/clients/mismatch',
      json({ client_id: 'https://elsewhere.test/x', redirect_uris: [] }),
    );
    const { status, page } = await authorizationPage(clientId);
    // Fetched (a refusal is never cached; the provider looks a client up twice per request).
    expect(docs.requests('/clients/mismatch')).toBeGreaterThanOrEqual(1);
    // The host's error page shows the provider's invalid_client description.
    expect(status).toBe(400);
    expect(page).toContain('not its own URL');
    expect(host.output()).not.toContain('server_error');
  });

  it('never contacts a loopback host that the allow list does not name', async () => {
    const before = canary.connections();
    const { status, page } = await authorizationPage(`https://localhost:${canary.port}/clients/x`);
    expect(status).toBe(400);
    expect(page).toContain('special-purpose');
    expect(canary.connections()).toBe(before);
  });
});

describe('sample-app host: DCR_CLIENT_ID_METADATA_DOCUMENTS=false', () => {
  it('neither advertises nor resolves URL client_ids', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dcr-cimd-off-'));
    const host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_CLIENT_ID_METADATA_DOCUMENTS: 'false',
    });
    try {
      const res = await fetch(`${host.url}/oidc/.well-known/openid-configuration`);
      const metadata = (await res.json()) as Record<string, unknown>;
      expect(metadata).not.toHaveProperty('client_id_metadata_document_supported');
      const auth = await fetch(
        `${host.url}/oidc/auth?client_id=${encodeURIComponent('https://claude.ai/oauth/claude-code-client-metadata')}&response_type=code&scope=openid`,
        { redirect: 'manual' },
      );
      expect(auth.status).toBe(400);
      expect(await auth.text()).toContain('client is invalid');
    } finally {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
