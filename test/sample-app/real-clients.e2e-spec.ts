import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  authorizationUrl,
  authorizeThroughForms,
  pkce,
  registerClient,
} from './authorization-flow.js';
import { buildHost, freePort, startHost, type Host } from './host.js';

const MCP_RESOURCE = 'https://mcp.example.com/mcp';
const USER = { username: 'admin', password: 'real-clients-admin-password-0123' };
const GRANTS = ['authorization_code', 'refresh_token'];

type Json = Record<string, unknown>;

interface RealClient {
  name: string;
  /** The registration body, as the client's source sends it (scope as it resolves it from our metadata). */
  body: Json;
  /** The redirect URI it then uses at the authorization endpoint. */
  authorizeWith: string;
  /** What registration echoes back. */
  expected: Json;
}

/**
 * Registration bodies of the MCP clients in the wild. Sources:
 * - MCP TypeScript SDK: src/examples/client/simpleOAuthClient.ts (its example provider's
 *   metadata) plus the scope auth() resolves from the protected resource metadata;
 * - mcp-remote: src/lib/node-oauth-client-provider.ts (clientMetadata);
 * - MCP Inspector: client/src/lib/auth.ts (clientMetadata; `scope: ""` when the server
 *   names none), with application_type native as issue 13 records it;
 * - VS Code: src/vs/base/common/oauth.ts (fetchDynamicRegistration); it listens on a
 *   random loopback port at sign-in;
 * - claude.ai, Claude Code, Cursor (closed source): the bodies issue 13 records.
 */
const REAL_CLIENTS: RealClient[] = [
  {
    name: 'MCP TypeScript SDK (defaults)',
    body: {
      client_name: 'Simple OAuth MCP Client',
      redirect_uris: ['http://localhost:8090/callback'],
      grant_types: GRANTS,
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'mcp:tools',
    },
    authorizeWith: 'http://localhost:8090/callback',
    expected: { application_type: 'native', token_endpoint_auth_method: 'client_secret_post' },
  },
  {
    name: 'mcp-remote',
    body: {
      redirect_uris: ['http://localhost:3334/oauth/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: GRANTS,
      response_types: ['code'],
      client_name: 'MCP CLI Client',
      client_uri: 'https://github.com/modelcontextprotocol/mcp-cli',
      software_id: '2e6dc280-f3c3-4e01-99a7-8181dbd1d23d',
      software_version: '0.1.29',
      scope: 'mcp:tools',
    },
    authorizeWith: 'http://localhost:3334/oauth/callback',
    expected: {
      application_type: 'native',
      software_id: '2e6dc280-f3c3-4e01-99a7-8181dbd1d23d',
      software_version: '0.1.29',
      client_uri: 'https://github.com/modelcontextprotocol/mcp-cli',
    },
  },
  {
    name: 'MCP Inspector',
    body: {
      redirect_uris: [
        'http://localhost:6274/oauth/callback',
        'http://localhost:6274/oauth/callback/debug',
      ],
      token_endpoint_auth_method: 'none',
      grant_types: GRANTS,
      response_types: ['code'],
      client_name: 'MCP Inspector',
      client_uri: 'https://github.com/modelcontextprotocol/inspector',
      scope: '',
      application_type: 'native',
    },
    authorizeWith: 'http://localhost:6274/oauth/callback',
    // `scope: ""` is no scope: the client gets every registrable one.
    expected: { application_type: 'native', scope: 'openid offline_access mcp:tools mcp:read' },
  },
  {
    name: 'VS Code',
    body: {
      client_name: 'Visual Studio Code',
      client_uri: 'https://code.visualstudio.com',
      grant_types: GRANTS,
      response_types: ['code'],
      redirect_uris: [
        'https://insiders.vscode.dev/redirect',
        'https://vscode.dev/redirect',
        'http://127.0.0.1/',
        'http://127.0.0.1:33418/',
      ],
      scope: 'mcp:tools',
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    },
    authorizeWith: 'http://127.0.0.1:51437/',
    expected: { application_type: 'native' },
  },
  {
    name: 'claude.ai',
    body: {
      client_name: 'Claude',
      redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
      grant_types: GRANTS,
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'mcp:tools',
    },
    authorizeWith: 'https://claude.ai/api/mcp/auth_callback',
    expected: { application_type: 'web', token_endpoint_auth_method: 'client_secret_post' },
  },
  {
    name: 'Claude Code',
    body: {
      client_name: 'Claude Code (dcr-test)',
      redirect_uris: ['http://localhost:53219/callback'],
      grant_types: GRANTS,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
    authorizeWith: 'http://localhost:53219/callback',
    expected: { application_type: 'native' },
  },
  {
    name: 'Cursor',
    body: {
      client_name: 'Cursor',
      redirect_uris: ['cursor://anysphere.cursor-mcp/oauth/callback'],
      grant_types: GRANTS,
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'web',
    },
    authorizeWith: 'cursor://anysphere.cursor-mcp/oauth/callback',
    // A web client whose redirect URIs all reach the device is registered as native.
    expected: { application_type: 'native' },
  },
];

interface Registered {
  client_id: string;
  client_secret?: string;
  token_endpoint_auth_method: string;
}

/** A token request authenticated the way the client registered. */
async function tokenRequest(
  host: Host,
  client: Registered,
  params: Record<string, string>,
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams(params);
  if (client.token_endpoint_auth_method === 'client_secret_basic') {
    headers.authorization = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
  } else {
    form.set('client_id', client.client_id);
    if (client.client_secret !== undefined) form.set('client_secret', client.client_secret);
  }
  const res = await fetch(`${host.url}/oidc/token`, { method: 'POST', headers, body: form });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Registers nothing: runs one code flow for `client` and returns the token response. */
async function codeFlow(host: Host, client: Registered, redirectUri: string): Promise<Json> {
  const { verifier, challenge } = pkce();
  const state = randomBytes(12).toString('base64url');
  const callback = await authorizeThroughForms(
    authorizationUrl(host.url, {
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope: 'mcp:tools',
      resource: MCP_RESOURCE,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
    host.url,
    USER,
  );
  expect(callback.href.startsWith(redirectUri)).toBe(true);
  expect(callback.searchParams.get('state')).toBe(state);
  expect(callback.searchParams.get('iss')).toBe(`${host.url}/oidc`);
  const code = callback.searchParams.get('code');
  expect(code).toEqual(expect.any(String));
  const { status, body } = await tokenRequest(host, client, {
    grant_type: 'authorization_code',
    code: code!,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    resource: MCP_RESOURCE,
  });
  expect(status).toBe(200);
  return body;
}

beforeAll(() => buildHost(), 120_000);

describe('real MCP clients: registration as they send it, then a code flow', () => {
  let dataDir: string;
  let host: Host;
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-real-clients-'));
    host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_REGISTRATION: 'open',
      DCR_RESOURCES: `${MCP_RESOURCE} mcp:tools mcp:read`,
      DCR_ADMIN_USERNAME: USER.username,
      DCR_ADMIN_PASSWORD: USER.password,
    });
    jwks = createRemoteJWKSet(new URL(`${host.url}/oidc/jwks`));
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function register(client: RealClient): Promise<Registered> {
    const { status, body } = await registerClient(host.url, client.body);
    expect({ status, body }).toMatchObject({ status: 201, body: client.expected });
    return body as unknown as Registered;
  }

  it.each(REAL_CLIENTS.map((client) => [client.name, client] as const))(
    '%s: 201, then a code flow with PKCE gives a JWT for the MCP server and a refresh token',
    async (_name, client) => {
      const registered = await register(client);
      const tokens = await codeFlow(host, registered, client.authorizeWith);
      const { payload } = await jwtVerify(tokens.access_token as string, jwks, {
        issuer: `${host.url}/oidc`,
        audience: MCP_RESOURCE,
        typ: 'at+jwt',
      });
      expect(payload).toMatchObject({ client_id: registered.client_id, scope: 'mcp:tools' });
      expect(tokens.refresh_token).toEqual(expect.any(String));
    },
    60_000,
  );

  describe('refresh tokens', () => {
    const mcpRemote = REAL_CLIENTS.find((client) => client.name === 'mcp-remote')!;
    const sdk = REAL_CLIENTS.find((client) => client.name.startsWith('MCP TypeScript SDK'))!;

    it('rotate on every use for a public client; a rotated-out token revokes the grant', async () => {
      const registered = await register(mcpRemote);
      const first = (await codeFlow(host, registered, mcpRemote.authorizeWith))
        .refresh_token as string;

      const second = await tokenRequest(host, registered, {
        grant_type: 'refresh_token',
        refresh_token: first,
        resource: MCP_RESOURCE,
      });
      expect(second.status).toBe(200);
      const rotated = second.body.refresh_token as string;
      expect(rotated).not.toBe(first);
      await jwtVerify(second.body.access_token as string, jwks, { audience: MCP_RESOURCE });

      const replay = await tokenRequest(host, registered, {
        grant_type: 'refresh_token',
        refresh_token: first,
      });
      expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      // The replay revoked the grant: the newest token stops working too.
      const afterReplay = await tokenRequest(host, registered, {
        grant_type: 'refresh_token',
        refresh_token: rotated,
      });
      expect(afterReplay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    }, 60_000);

    it.each([
      ['an unknown resource', 'https://evil.example/mcp'],
      // The registration endpoint: a resource the host knows, but not this grant's.
      ['a resource that was not granted', '/connect/dcr'],
    ])(
      'fails with %s without consuming the refresh token',
      async (_title, resource) => {
        const registered = await register(mcpRemote);
        const token = (await codeFlow(host, registered, mcpRemote.authorizeWith))
          .refresh_token as string;
        const refused = await tokenRequest(host, registered, {
          grant_type: 'refresh_token',
          refresh_token: token,
          resource: resource.startsWith('/') ? `${host.url}${resource}` : resource,
        });
        expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
        const retried = await tokenRequest(host, registered, {
          grant_type: 'refresh_token',
          refresh_token: token,
          resource: MCP_RESOURCE,
        });
        expect(retried.status).toBe(200);
        expect(retried.body.refresh_token).not.toBe(token);
      },
      60_000,
    );

    it('work for a confidential client without offline_access, the resource kept', async () => {
      const registered = await register(sdk);
      const token = (await codeFlow(host, registered, sdk.authorizeWith)).refresh_token as string;
      // No `resource`: the granted one.
      const refreshed = await tokenRequest(host, registered, {
        grant_type: 'refresh_token',
        refresh_token: token,
      });
      expect(refreshed.status).toBe(200);
      const { payload } = await jwtVerify(refreshed.body.access_token as string, jwks, {
        audience: MCP_RESOURCE,
      });
      expect(payload.scope).toBe('mcp:tools');
    }, 60_000);
  });
});
