import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { errors, Provider } from 'oidc-provider';
import * as oidc from 'openid-client';
import { ClientIdMetadataResolver } from '../../lib/client-id-metadata/client-id-metadata.resolver.js';
import { DcrModule } from '../../lib/dcr.module.js';
import type { ResolvedAddress } from '../../lib/fetch/outbound-fetch.options.js';
import { OutboundFetcher } from '../../lib/fetch/outbound-fetcher.js';
import { useLoopbackPortsForUrlClients } from '../../lib/oidc-provider/client-id-metadata-clients.js';
import { dcrProviderAdapter } from '../../lib/oidc-provider/dcr-provider-adapter.js';
import { guardedProviderFetch } from '../../lib/oidc-provider/guarded-provider-fetch.js';
import { ClientStore } from '../../lib/store/client-store.js';
import { pkceAuthorizationRequest, redeemCode } from '../support/pkce-code-flow.js';
import { freePort } from '../sample-app/host.js';
import {
  json,
  startTestDocumentServers,
  type TestHttpsServer,
  type TestTls,
} from '../support/test-https.js';
import {
  AUTO_GRANT_OPTIONS,
  authorize,
  deploymentKeys,
  listenWithAutoGrant,
  type InteractionProvider,
} from './test-provider.js';

const NAMES: Record<string, ResolvedAddress[]> = {
  'cimd.test': [{ address: '127.0.0.1', family: 4 }],
  'internal.test': [{ address: '127.0.0.1', family: 4 }],
};
/** What Claude Code's document lists: a portless loopback redirect URI. */
const REGISTERED_REDIRECT = 'http://localhost/callback';
const PRESENTED_REDIRECT = 'http://localhost:53682/callback';

describe('oidc-provider resolves URL client_ids through the module (CIMD)', () => {
  let tls: TestTls;
  let docs: TestHttpsServer;
  let canary: TestHttpsServer;
  let app: INestApplicationContext;
  let server: Server;
  let issuer: string;
  const docUrl = (path: string) => `https://cimd.test:${docs.port}${path}`;
  const documentFor = (clientId: string, changes: Record<string, unknown> = {}) => ({
    client_id: clientId,
    client_name: 'Claude Code (test)',
    redirect_uris: [REGISTERED_REDIRECT, 'http://127.0.0.1/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    ...changes,
  });

  beforeAll(async () => {
    ({ tls, docs, canary } = await startTestDocumentServers(['cimd.test', 'internal.test']));
    app = await NestFactory.createApplicationContext(
      DcrModule.forRoot({
        tokenEndpointAuthMethods: ['none', 'private_key_jwt'],
        fetch: {
          ca: tls.caCert,
          allowHosts: [`cimd.test:${docs.port}`],
          resolveHost: (name) => Promise.resolve(NAMES[name] ?? []),
        },
      }),
      { logger: false },
    );
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    const keys = deploymentKeys();
    const provider = new Provider(issuer, {
      adapter: dcrProviderAdapter(app.get(ClientStore), {
        clientIdMetadata: {
          resolver: app.get(ClientIdMetadataResolver),
          toProviderError: (error) => new errors.InvalidClient(error.message),
        },
      }),
      jwks: keys.jwks,
      cookies: { keys: keys.cookieKeys },
      clientAuthMethods: ['none', 'private_key_jwt'],
      scopes: ['openid'],
      features: { devInteractions: { enabled: false } },
      discovery: { client_id_metadata_document_supported: true },
      ...AUTO_GRANT_OPTIONS,
      pkce: { required: () => true },
      issueRefreshToken: async () => true,
      fetch: guardedProviderFetch(app.get(OutboundFetcher)),
      fetchResponseBodyLimits: { jwks_uri: 64 * 1024 },
    }) as unknown as InteractionProvider & Parameters<typeof useLoopbackPortsForUrlClients>[0];
    useLoopbackPortsForUrlClients(provider);
    server = await listenWithAutoGrant(provider, port);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await app?.close();
    await docs?.close();
    await canary?.close();
  });

  async function clientFor(clientId: string): Promise<oidc.Configuration> {
    const config = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    return config;
  }

  async function codeFlow(clientId: string, redirectUri = PRESENTED_REDIRECT) {
    const config = await clientFor(clientId);
    const { url, verifier, state } = await pkceAuthorizationRequest(config, redirectUri);
    const callback = await authorize(url, redirectUri);
    return redeemCode(config, { callback, verifier, state });
  }

  it('advertises client_id_metadata_document_supported', async () => {
    const metadata = (await (
      await fetch(`${issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(metadata.client_id_metadata_document_supported).toBe(true);
  });

  it('a CIMD client completes the code flow (openid-client, PKCE, any loopback port), its document fetched once', async () => {
    docs.route(
      '/claude-code',
      json(documentFor(docUrl('/claude-code')), { 'cache-control': 'max-age=300' }),
    );
    const tokens = await codeFlow(docUrl('/claude-code'));
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.claims()?.aud).toBe(docUrl('/claude-code'));
    // A second authorization within max-age fetches nothing.
    await codeFlow(docUrl('/claude-code'), 'http://127.0.0.1:41000/callback');
    expect(docs.requests('/claude-code')).toBe(1);
  });

  it('a loopback redirect URI differing in more than the port is refused', async () => {
    docs.route('/strict-redirect', json(documentFor(docUrl('/strict-redirect'))));
    await expect(
      codeFlow(docUrl('/strict-redirect'), 'http://localhost:53682/callback/evil'),
    ).rejects.toThrow(/redirect_uri/);
  });

  it('a refused document is an invalid_client that says why, never a server_error', async () => {
    docs.route('/mismatch', json(documentFor('https://cimd.test/someone-else')));
    const config = await clientFor(docUrl('/mismatch'));
    const start = oidc.buildAuthorizationUrl(config, {
      redirect_uri: PRESENTED_REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const res = await fetch(start, { redirect: 'manual' });
    const page = await res.text();
    expect(res.status).toBe(400);
    expect(page).toContain('invalid_client');
    expect(page).toContain('not its own URL');
  });

  it("the provider's jwks_uri fetch goes through the guard: an internal host is never contacted", async () => {
    const fetchJwks = guardedProviderFetch(app.get(OutboundFetcher));
    const before = canary.connections();
    await expect(fetchJwks(`https://internal.test:${canary.port}/jwks`)).rejects.toMatchObject({
      code: 'blocked_address',
    });
    expect(canary.connections()).toBe(before);
  });

  it("the provider's jwks_uri fetch is capped at 64 KiB and must be JSON", async () => {
    const fetchJwks = guardedProviderFetch(app.get(OutboundFetcher));
    docs.route('/jwks', json({ keys: [] }, { 'cache-control': 'max-age=60' }));
    docs.route('/huge-jwks', json({ keys: [], pad: 'x'.repeat(65 * 1024) }));
    const ok = await fetchJwks(docUrl('/jwks'), { headers: { accept: 'application/json' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ keys: [] });
    expect(ok.headers.get('cache-control')).toBe('max-age=60');
    await expect(fetchJwks(docUrl('/huge-jwks'))).rejects.toMatchObject({ code: 'too_large' });
  });
});
