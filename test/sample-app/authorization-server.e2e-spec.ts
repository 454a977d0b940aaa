import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  CODE_CHALLENGE_METHODS,
  GRANT_TYPES,
  RESPONSE_TYPES,
  TOKEN_ENDPOINT_AUTH_METHODS,
} from '../../sample-app/oidc/discovery.js';
import { authorizationUrl, pkce, registerClient } from './authorization-flow.js';
import { buildHost, freePort, startHost, type Host } from './host.js';

const MCP_RESOURCE = 'https://mcp.example.com/mcp';
const OTHER_RESOURCE = 'https://api.example.com/v1';
const BOOTSTRAP_ID = 'flows-bootstrap';
const BOOTSTRAP_SECRET = 'flows-bootstrap-secret-0123456789abcdef';
const BOOTSTRAP_REDIRECT = 'https://admin.example.com/callback';

type Json = Record<string, unknown>;

async function getJson(url: string, headers: Record<string, string> = {}): Promise<Json> {
  const res = await fetch(url, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function tokenRequest(
  host: Host,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${host.url}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}

function basic(id: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` };
}

/** GET the authorization endpoint without following redirects. */
async function authorize(url: string): Promise<{ status: number; location: URL | undefined }> {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  return { status: res.status, location: location === null ? undefined : new URL(location, url) };
}

beforeAll(() => buildHost(), 120_000);

describe('sample-app as an authorization server for interactive and MCP clients', () => {
  let dataDir: string;
  let host: Host;
  let metadata: Json;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-flows-'));
    host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_REGISTRATION: 'open',
      DCR_RESOURCES: `${MCP_RESOURCE} mcp:tools mcp:read, ${OTHER_RESOURCE} api:read`,
      DCR_BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID,
      DCR_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
      DCR_BOOTSTRAP_REDIRECT_URIS: BOOTSTRAP_REDIRECT,
    });
    metadata = await getJson(`${host.url}/oidc/.well-known/openid-configuration`);
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('discovery', () => {
    it('serves the same document at the RFC 8414 path-insertion address, same issuer', async () => {
      const rfc8414 = await getJson(`${host.url}/.well-known/oauth-authorization-server/oidc`);
      expect(rfc8414).toEqual(metadata);
      expect(rfc8414.issuer).toBe(`${host.url}/oidc`);
      expect(rfc8414.registration_endpoint).toBe(`${host.url}/connect/dcr`);
    });

    it('answers only the exact RFC 8414 address', async () => {
      const res = await fetch(`${host.url}/.well-known/oauth-authorization-server/oidc/extra`);
      expect(res.status).toBe(404);
    });

    it('advertises exactly the grants, response types, auth methods and PKCE methods of the one list', () => {
      expect(metadata.grant_types_supported).toEqual(GRANT_TYPES);
      expect(metadata.response_types_supported).toEqual(RESPONSE_TYPES);
      expect(metadata.token_endpoint_auth_methods_supported).toEqual(TOKEN_ENDPOINT_AUTH_METHODS);
      expect(metadata.code_challenge_methods_supported).toEqual(CODE_CHALLENGE_METHODS);
      expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
      expect(metadata.scopes_supported).toEqual([
        'openid',
        'offline_access',
        'mcp:tools',
        'mcp:read',
        'api:read',
        'dcr.register',
      ]);
    });

    it('lets any origin read discovery and keys (CORS)', async () => {
      const origin = 'http://localhost:6274';
      for (const path of [
        '/oidc/.well-known/openid-configuration',
        '/.well-known/oauth-authorization-server/oidc',
        '/oidc/jwks',
      ]) {
        const res = await fetch(`${host.url}${path}`, { headers: { origin } });
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      }
      const preflight = await fetch(`${host.url}/.well-known/oauth-authorization-server/oidc`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    });
  });

  describe('registration accepts exactly what discovery advertises', () => {
    const redirect = { redirect_uris: ['https://app.example.com/cb'] };
    const jwks = {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        },
      ],
    };
    const bodyFor: Record<string, Json> = {
      client_secret_basic: { ...redirect },
      client_secret_post: { ...redirect },
      private_key_jwt: { ...redirect, jwks },
      none: { ...redirect },
    };

    it.each(TOKEN_ENDPOINT_AUTH_METHODS)(
      'registers token_endpoint_auth_method %s',
      async (method) => {
        const { status, body } = await registerClient(host.url, {
          ...bodyFor[method],
          token_endpoint_auth_method: method,
        });
        expect(status).toBe(201);
        expect(body.token_endpoint_auth_method).toBe(method);
        expect(Object.hasOwn(body, 'client_secret')).toBe(method.startsWith('client_secret'));
      },
    );

    it.each(GRANT_TYPES)('registers the grant %s', async (grant) => {
      const grants = grant === 'refresh_token' ? ['authorization_code', grant] : [grant];
      const { status, body } = await registerClient(host.url, {
        ...(grant === 'client_credentials' ? {} : redirect),
        grant_types: grants,
      });
      expect(status).toBe(201);
      expect(body.grant_types).toEqual(grants);
    });

    it('registers every advertised scope but the registration scope', async () => {
      const scopes = (metadata.scopes_supported as string[]).filter((s) => s !== 'dcr.register');
      const { status, body } = await registerClient(host.url, {
        ...redirect,
        scope: scopes.join(' '),
      });
      expect(status).toBe(201);
      expect(body.scope).toBe(scopes.join(' '));

      const reserved = await registerClient(host.url, {
        ...redirect,
        scope: 'mcp:tools dcr.register',
      });
      expect(reserved.status).toBe(400);
      expect(reserved.body.error).toBe('invalid_client_metadata');
    });

    it('gives a client that names no scope every registrable scope', async () => {
      const { status, body } = await registerClient(host.url, redirect);
      expect(status).toBe(201);
      expect(body.scope).toBe('openid offline_access mcp:tools mcp:read api:read');
    });

    it.each<[string, Json]>([
      ['implicit', { ...redirect, grant_types: ['implicit'], response_types: ['token'] }],
      ['a hybrid response type', { ...redirect, response_types: ['code id_token'] }],
      ['client_secret_jwt', { ...redirect, token_endpoint_auth_method: 'client_secret_jwt' }],
      ['an unknown scope', { ...redirect, scope: 'profile' }],
      [
        'the device grant',
        { grant_types: ['urn:ietf:params:oauth:grant-type:device_code'], response_types: [] },
      ],
    ])('refuses %s', async (_title, request) => {
      const { status, body } = await registerClient(host.url, request);
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_client_metadata');
    });

    it('lets a browser register from any origin (CORS, no credentials)', async () => {
      const preflight = await fetch(`${host.url}/connect/dcr`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:6274',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      const { status, headers } = await registerClient(host.url, redirect, {
        origin: 'http://localhost:6274',
      });
      expect(status).toBe(201);
      expect(headers.get('access-control-allow-origin')).toBe('*');
      expect(headers.get('access-control-allow-credentials')).toBeNull();
    });
  });

  describe('resource servers (RFC 8707) and JWT access tokens (RFC 9068)', () => {
    let machine: { id: string; secret: string };

    beforeAll(async () => {
      const { body } = await registerClient(host.url, {
        grant_types: ['client_credentials'],
        scope: 'mcp:tools api:read',
      });
      machine = { id: body.client_id as string, secret: body.client_secret as string };
    });

    it('issues an at+jwt for the named resource, its aud the resource, its scopes the registered ones', async () => {
      const { status, body } = await tokenRequest(
        host,
        { grant_type: 'client_credentials', resource: MCP_RESOURCE, scope: 'mcp:tools api:read' },
        basic(machine.id, machine.secret),
      );
      expect(status).toBe(200);
      const token = body.access_token as string;
      expect(decodeProtectedHeader(token).typ).toBe('at+jwt');
      const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri as string));
      const { payload } = await jwtVerify(token, jwks, {
        issuer: `${host.url}/oidc`,
        audience: MCP_RESOURCE,
        typ: 'at+jwt',
      });
      // api:read is another resource's scope: not in this token.
      expect(payload).toMatchObject({ client_id: machine.id, scope: 'mcp:tools' });
      expect(payload.exp! - payload.iat!).toBe(600);
    });

    it('refuses a scope the client did not register', async () => {
      const { status, body } = await tokenRequest(
        host,
        { grant_type: 'client_credentials', resource: MCP_RESOURCE, scope: 'mcp:read' },
        basic(machine.id, machine.secret),
      );
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_scope');
    });

    it('keeps tokens without a resource for the registration endpoint, with no scope', async () => {
      const { status, body } = await tokenRequest(
        host,
        { grant_type: 'client_credentials' },
        basic(machine.id, machine.secret),
      );
      expect(status).toBe(200);
      const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri as string));
      const { payload } = await jwtVerify(body.access_token as string, jwks, {
        audience: `${host.url}/connect/dcr`,
      });
      expect(payload.scope).toBeUndefined();
    });

    it.each(['https://mcp.example.com/mcp/', 'https://evil.example/mcp', 'not a url'])(
      'refuses the resource %j with invalid_target',
      async (resource) => {
        const { status, body } = await tokenRequest(
          host,
          { grant_type: 'client_credentials', resource },
          basic(machine.id, machine.secret),
        );
        expect(status).toBe(400);
        expect(body.error).toBe('invalid_target');
      },
    );

    it('still gives the bootstrap client the registration scope', async () => {
      const { status, body } = await tokenRequest(
        host,
        { grant_type: 'client_credentials', scope: 'dcr.register' },
        basic(BOOTSTRAP_ID, BOOTSTRAP_SECRET),
      );
      expect(status).toBe(200);
      expect(body.scope).toBe('dcr.register');
    });
  });

  describe('the authorization endpoint', () => {
    let web: string;
    let native: string;

    beforeAll(async () => {
      const webClient = await registerClient(host.url, {
        redirect_uris: ['https://app.example.com/cb', 'http://localhost:4000/cb'],
        grant_types: ['authorization_code', 'refresh_token'],
      });
      web = webClient.body.client_id as string;
      // VS Code's registration (src/vs/base/common/oauth.ts, fetchDynamicRegistration).
      const nativeClient = await registerClient(host.url, {
        client_name: 'Visual Studio Code',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [
          'https://vscode.dev/redirect',
          'http://127.0.0.1/',
          'http://127.0.0.1:33418/',
        ],
        token_endpoint_auth_method: 'none',
        application_type: 'native',
      });
      native = nativeClient.body.client_id as string;
    });

    function request(clientId: string, redirectUri: string, extra: Record<string, string> = {}) {
      return authorizationUrl(host.url, {
        client_id: clientId,
        redirect_uri: redirectUri,
        state: 'st-1',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
        resource: MCP_RESOURCE,
        scope: 'mcp:tools',
        ...extra,
      });
    }

    /** The request was accepted: the browser goes to the host's sign-in, not back to the client. */
    function expectSignIn(result: { status: number; location: URL | undefined }): void {
      expect(result.status).toBe(303);
      expect(result.location?.origin).toBe(host.url);
      expect(result.location?.searchParams.get('error')).toBeNull();
    }

    function expectErrorAtClient(
      result: { status: number; location: URL | undefined },
      redirectUri: string,
      error: string,
    ): void {
      expect(result.status).toBe(303);
      expect(`${result.location!.origin}${result.location!.pathname}`).toBe(redirectUri);
      expect(result.location!.searchParams.get('error')).toBe(error);
      expect(result.location!.searchParams.get('state')).toBe('st-1');
      expect(result.location!.searchParams.get('iss')).toBe(`${host.url}/oidc`);
    }

    it('sends a valid code request with PKCE to sign in', async () => {
      expectSignIn(await authorize(request(web, 'https://app.example.com/cb')));
    });

    it('requires PKCE of every client, confidential ones too', async () => {
      const url = new URL(request(web, 'https://app.example.com/cb'));
      url.searchParams.delete('code_challenge');
      url.searchParams.delete('code_challenge_method');
      expectErrorAtClient(
        await authorize(url.href),
        'https://app.example.com/cb',
        'invalid_request',
      );
    });

    it('refuses the plain PKCE method', async () => {
      const result = await authorize(
        request(web, 'https://app.example.com/cb', { code_challenge_method: 'plain' }),
      );
      expectErrorAtClient(result, 'https://app.example.com/cb', 'invalid_request');
    });

    it.each(['token', 'code id_token', 'id_token'])('refuses response_type=%s', async (type) => {
      const result = await authorize(
        request(web, 'https://app.example.com/cb', { response_type: type, scope: 'openid' }),
      );
      expect(result.status).toBe(303);
      expect(result.location?.origin).not.toBe(host.url);
      expect(result.location?.href).toContain('error=');
    });

    it('refuses an unknown resource with invalid_target, at the client', async () => {
      const result = await authorize(
        request(web, 'https://app.example.com/cb', { resource: 'https://evil.example/mcp' }),
      );
      expectErrorAtClient(result, 'https://app.example.com/cb', 'invalid_target');
    });

    it.each(['http://127.0.0.1:54321/', 'http://127.0.0.1:33418/', 'http://127.0.0.1/'])(
      'lets a native client use its loopback redirect on any port (RFC 8252 §7.3): %s',
      async (redirectUri) => {
        expectSignIn(await authorize(request(native, redirectUri)));
      },
    );

    it.each([
      'http://127.0.0.1:54321/other',
      'http://localhost:54321/',
      'http://127.0.0.2:54321/',
      'https://vscode.dev/redirect/x',
    ])('refuses a native redirect that differs in more than the loopback port: %s', async (uri) => {
      const result = await authorize(request(native, uri));
      expect(result.status).toBe(400);
      expect(result.location).toBeUndefined();
    });

    it("keeps a web client's redirect URIs exact, loopback port included", async () => {
      const result = await authorize(request(web, 'http://localhost:4001/cb'));
      expect(result.status).toBe(400);
      expect(result.location).toBeUndefined();
    });

    it('accepts the bootstrap client as an interactive client with its redirect URIs', async () => {
      expectSignIn(
        await authorize(
          authorizationUrl(host.url, {
            client_id: BOOTSTRAP_ID,
            redirect_uri: BOOTSTRAP_REDIRECT,
            scope: 'openid dcr.register',
            code_challenge: pkce().challenge,
            code_challenge_method: 'S256',
          }),
        ),
      );
    });
  });

  describe('CORS at the token endpoint (clientBasedCORS)', () => {
    it("allows a public client's redirect URI origin, and no other", async () => {
      const { body } = await registerClient(host.url, {
        redirect_uris: ['http://localhost:6274/oauth/callback'],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
      });
      const clientId = body.client_id as string;
      const allowed = await tokenRequest(
        host,
        { grant_type: 'refresh_token', refresh_token: 'unknown', client_id: clientId },
        { origin: 'http://localhost:6274' },
      );
      // The request reaches the grant (the token is unknown) with CORS headers on the answer.
      expect(allowed.body.error).toBe('invalid_grant');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');

      const foreign = await tokenRequest(
        host,
        { grant_type: 'refresh_token', refresh_token: 'unknown', client_id: clientId },
        { origin: 'https://evil.example' },
      );
      expect(foreign.status).toBe(400);
      expect(foreign.body.error).toBe('invalid_request');
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('never allows a browser to use a confidential client', async () => {
      const { body } = await registerClient(host.url, {
        grant_types: ['client_credentials'],
      });
      const res = await tokenRequest(
        host,
        { grant_type: 'client_credentials' },
        {
          ...basic(body.client_id as string, body.client_secret as string),
          origin: 'https://app.example.com',
        },
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
