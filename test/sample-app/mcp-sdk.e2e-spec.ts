import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  auth,
  UnauthorizedError,
  type OAuthClientProvider,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { decodeJwt } from 'jose';
import { authorizeThroughForms, registerClient } from './authorization-flow.js';
import { buildHost, freePort, startHost, type Host } from './host.js';
import { TestMcpServer, WHOAMI_TOOL } from './mcp-server.js';

const ADMIN = { username: 'admin', password: 'mcp-e2e-admin-password-0123' };

/**
 * An OAuthClientProvider as the SDK's own example client (simpleOAuthClient)
 * configures one: its metadata, kept in memory. The user agent is the test:
 * redirectToAuthorization records the URL for authorizeThroughForms.
 */
class InMemoryProvider implements OAuthClientProvider {
  authorizationUrl?: URL;
  lastState?: string;
  private client?: OAuthClientInformationMixed;
  private saved?: OAuthTokens;
  private verifier?: string;

  constructor(readonly redirectUrl: string) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Simple OAuth MCP Client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    };
  }

  state(): string {
    this.lastState = randomBytes(16).toString('base64url');
    return this.lastState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  saveClientInformation(client: OAuthClientInformationMixed): void {
    this.client = client;
  }

  tokens(): OAuthTokens | undefined {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (this.verifier === undefined) throw new Error('no code verifier saved');
    return this.verifier;
  }
}

async function listTools(mcpUrl: string, provider: OAuthClientProvider): Promise<string[]> {
  const client = new Client({ name: 'dcr-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }),
  );
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

beforeAll(() => buildHost(), 120_000);

describe('the MCP TypeScript SDK against the host in open mode', () => {
  let dataDir: string;
  let host: Host;
  let mcp: TestMcpServer;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-mcp-'));
    const mcpUrl = `http://127.0.0.1:${await freePort()}/mcp`;
    host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_REGISTRATION: 'open',
      DCR_RESOURCES: `${mcpUrl} mcp:tools`,
      DCR_ADMIN_USERNAME: ADMIN.username,
      DCR_ADMIN_PASSWORD: ADMIN.password,
    });
    const metadata = (await (
      await fetch(`${host.url}/.well-known/oauth-authorization-server/oidc`)
    ).json()) as OAuthMetadata;
    mcp = new TestMcpServer(mcpUrl, 'mcp:tools');
    await mcp.start(metadata);
  }, 120_000);

  afterAll(async () => {
    await mcp?.stop();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('discovers, registers, signs in, gets tokens, lists tools, then refreshes', async () => {
    const provider = new InMemoryProvider(`http://localhost:${await freePort()}/callback`);

    // 1. Unauthenticated: 401 with resource_metadata, discovery, registration, then the redirect.
    const first = new Client({ name: 'dcr-e2e', version: '1.0.0' });
    await expect(
      first.connect(
        new StreamableHTTPClientTransport(new URL(mcp.resource), { authProvider: provider }),
      ),
    ).rejects.toThrow(UnauthorizedError);
    const registered = provider.clientInformation() as Record<string, unknown>;
    expect(registered).toMatchObject({
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'mcp:tools',
    });
    expect(registered.client_secret).toEqual(expect.any(String));
    const authorizationUrl = provider.authorizationUrl!;
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(`${host.url}/oidc/auth`);
    expect(authorizationUrl.searchParams.get('resource')).toBe(mcp.resource);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');

    // 2. Sign-in and consent through the form contract; the response carries code, state and iss.
    const callback = await authorizeThroughForms(authorizationUrl.href, host.url, ADMIN);
    expect(`${callback.origin}${callback.pathname}`).toBe(provider.redirectUrl);
    expect(callback.searchParams.get('state')).toBe(provider.lastState);
    expect(callback.searchParams.get('iss')).toBe(`${host.url}/oidc`);
    const code = callback.searchParams.get('code');
    expect(code).toEqual(expect.any(String));

    // 3. The SDK exchanges the code (PKCE, resource) for a JWT for the MCP server, and a refresh token.
    expect(await auth(provider, { serverUrl: mcp.resource, authorizationCode: code! })).toBe(
      'AUTHORIZED',
    );
    const tokens = provider.tokens()!;
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      aud: mcp.resource,
      scope: 'mcp:tools',
      client_id: registered.client_id,
    });

    // 4. tools/list through the SDK's bearer middleware.
    expect(await listTools(mcp.resource, provider)).toEqual([WHOAMI_TOOL]);

    // 5. A refresh (repeating the resource) gives a new access token that works as well.
    expect(await auth(provider, { serverUrl: mcp.resource })).toBe('AUTHORIZED');
    const refreshed = provider.tokens()!;
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(decodeJwt(refreshed.access_token)).toMatchObject({
      aud: mcp.resource,
      scope: 'mcp:tools',
    });
    expect(await listTools(mcp.resource, provider)).toEqual([WHOAMI_TOOL]);
  }, 60_000);

  it('is refused by the MCP server with a token for another audience', async () => {
    const { body } = await registerClient(host.url, {
      grant_types: ['client_credentials'],
      scope: 'mcp:tools',
    });
    const token = await fetch(`${host.url}/oidc/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${String(body.client_id)}:${String(body.client_secret)}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    // A valid token of the host, but for the registration endpoint.
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    expect(decodeJwt(accessToken).aud).toBe(`${host.url}/connect/dcr`);
    const res = await fetch(mcp.resource, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });
});
