import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { hashSecret } from '../../lib/index.js';
import { buildHost, freePort, spawnHost, startHost, type Host } from './host.js';
import { providerClient, type Registration } from './provider-client.js';

const BOOTSTRAP_ID = 'ops-bootstrap';
const BOOTSTRAP_SECRET = 'e2e-bootstrap-secret-0123456789abcdef';

async function bootstrapToken(host: Host): Promise<string> {
  const config = await providerClient(host, BOOTSTRAP_ID, BOOTSTRAP_SECRET);
  const tokens = await oidc.clientCredentialsGrant(config, { scope: 'dcr.register' });
  return tokens.access_token;
}

async function register(
  host: Host,
  bearer: string,
  metadata: Record<string, unknown>,
): Promise<Response> {
  return fetch(`${host.url}/connect/dcr`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify(metadata),
  });
}

const MACHINE_CLIENT = {
  client_name: 'e2e machine client',
  grant_types: ['client_credentials'],
  response_types: [],
};

/** The OAuth error of a failed openid-client call. */
async function oauthError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (error) {
    return (error as { error?: string }).error;
  }
  return undefined;
}

// Built once, as `npm start` does, then started as child processes the way a user runs it.
beforeAll(() => buildHost(), 60_000);

describe('sample-app host (child process)', () => {
  let dataDir: string;
  let host: Host;
  const issued: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-sample-'));
    host = await startHost({
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DCR_DATA_DIR: dataDir,
      DCR_BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID,
      DCR_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
    });
  }, 60_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /health with 200 while the store answers', async () => {
    const res = await fetch(`${host.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('advertises /connect/dcr as the provider registration_endpoint', async () => {
    const config = await providerClient(host, BOOTSTRAP_ID, BOOTSTRAP_SECRET);
    expect(config.serverMetadata().registration_endpoint).toBe(`${host.url}/connect/dcr`);
    // A scope of the registration endpoint only, never advertised (nobody can register it).
    expect(config.serverMetadata().scopes_supported).not.toContain('dcr.register');
  });

  it('registers a client with the bootstrap token, which then gets tokens until it is deleted', async () => {
    const bearer = await bootstrapToken(host);
    issued.push(bearer);

    const res = await register(host, bearer, MACHINE_CLIENT);
    expect(res.status).toBe(201);
    const registration = (await res.json()) as Registration;
    issued.push(registration.client_secret, registration.registration_access_token);
    expect(registration.registration_client_uri).toBe(
      `${host.url}/connect/dcr/${registration.client_id}`,
    );

    const client = await providerClient(host, registration.client_id, registration.client_secret);
    const tokens = await oidc.clientCredentialsGrant(client);
    issued.push(tokens.access_token);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');

    const deleted = await fetch(registration.registration_client_uri, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${registration.registration_access_token}` },
    });
    expect(deleted.status).toBe(204);

    expect(await oauthError(oidc.clientCredentialsGrant(client))).toBe('invalid_client');
  });

  it('registers through openid-client dynamicClientRegistration, found by discovery', async () => {
    // RFC 7591 §3: the bearer sent to the registration endpoint may be any OAuth
    // access token; openid-client sends it as `initialAccessToken`.
    const bearer = await bootstrapToken(host);
    issued.push(bearer);
    const registered = await oidc.dynamicClientRegistration(
      new URL(`${host.url}/oidc`),
      MACHINE_CLIENT,
      undefined,
      { initialAccessToken: bearer, execute: [oidc.allowInsecureRequests] },
    );
    const metadata = registered.clientMetadata();
    issued.push(String(metadata.client_secret), String(metadata.registration_access_token));
    expect(metadata.registration_client_uri).toBe(
      `${host.url}/connect/dcr/${registered.clientMetadata().client_id}`,
    );
    const tokens = await oidc.clientCredentialsGrant(registered);
    issued.push(tokens.access_token);
    expect(tokens.access_token).toEqual(expect.any(String));
  });

  it('registers with openid-client and a one-use initial access token minted by the pipeline', async () => {
    const minted = await fetch(`${host.url}/connect/initial-access-tokens`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await bootstrapToken(host)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ expires_in: 600, max_uses: 1 }),
    });
    expect(minted.status).toBe(201);
    const { initial_access_token: iat, max_uses } = (await minted.json()) as {
      initial_access_token: string;
      max_uses: number;
    };
    issued.push(iat);
    expect(max_uses).toBe(1);

    for (const bad of [{ max_uses: 0 }, { expires_in: 'soon' }, { policy: {} }]) {
      const refused = await fetch(`${host.url}/connect/initial-access-tokens`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await bootstrapToken(host)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(bad),
      });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: 'invalid_request' });
    }

    const register = () =>
      oidc.dynamicClientRegistration(new URL(`${host.url}/oidc`), MACHINE_CLIENT, undefined, {
        initialAccessToken: iat,
        execute: [oidc.allowInsecureRequests],
      });
    const registered = await register();
    const metadata = registered.clientMetadata();
    issued.push(String(metadata.client_secret), String(metadata.registration_access_token));
    const tokens = await oidc.clientCredentialsGrant(registered);
    issued.push(tokens.access_token);
    expect(tokens.access_token).toEqual(expect.any(String));
    // Spent: openid-client surfaces the 401's Bearer challenge.
    const spent = await register().then(
      () => undefined,
      (error: { status?: number; cause?: { parameters?: { error?: string } }[] }) => error,
    );
    expect(spent?.status).toBe(401);
    expect(spent?.cause?.[0]?.parameters?.error).toBe('invalid_token');
  });

  it('refuses to register without a token (401) or with a token lacking the scope (403)', async () => {
    const anonymous = await fetch(`${host.url}/connect/dcr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(MACHINE_CLIENT),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);

    const res = await register(host, await bootstrapToken(host), MACHINE_CLIENT);
    const registration = (await res.json()) as Registration;
    issued.push(registration.client_secret, registration.registration_access_token);
    const client = await providerClient(host, registration.client_id, registration.client_secret);
    const unscoped = (await oidc.clientCredentialsGrant(client)).access_token;
    issued.push(unscoped);
    const refused = await register(host, unscoped, MACHINE_CLIENT);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'insufficient_scope' });
    const mint = await fetch(`${host.url}/connect/initial-access-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${unscoped}` },
    });
    expect(mint.status).toBe(403);
  });

  it('issues RFC 9068 JWT access tokens that verify with the provider JWKS', async () => {
    const token = await bootstrapToken(host);
    issued.push(token);
    const jwks = createRemoteJWKSet(new URL(`${host.url}/oidc/jwks`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: `${host.url}/oidc`,
      audience: `${host.url}/connect/dcr`,
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ client_id: BOOTSTRAP_ID, scope: 'dcr.register' });
  });

  it('verifies secrets against the stored hash: neither a wrong secret nor the hash itself works', async () => {
    const res = await register(host, await bootstrapToken(host), MACHINE_CLIENT);
    const registration = (await res.json()) as Registration;
    issued.push(registration.client_secret, registration.registration_access_token);

    for (const secret of ['not-the-secret', hashSecret(registration.client_secret)]) {
      const client = await providerClient(host, registration.client_id, secret);
      expect(await oauthError(oidc.clientCredentialsGrant(client))).toBe('invalid_client');
    }
  });

  it('never gives a registered client the registration scope', async () => {
    const res = await register(host, await bootstrapToken(host), MACHINE_CLIENT);
    const registration = (await res.json()) as Registration;
    issued.push(registration.client_secret, registration.registration_access_token);

    const client = await providerClient(host, registration.client_id, registration.client_secret);
    // The client registered the default scopes, which never hold it: asking is refused.
    expect(await oauthError(oidc.clientCredentialsGrant(client, { scope: 'dcr.register' }))).toBe(
      'invalid_scope',
    );
    const tokens = await oidc.clientCredentialsGrant(client);
    issued.push(tokens.access_token);
    expect(tokens.scope).toBeUndefined();
    const claims = JSON.parse(
      Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims.scope).toBeUndefined();
  });

  it('refuses a client registering the registration scope', async () => {
    const res = await register(host, await bootstrapToken(host), {
      ...MACHINE_CLIENT,
      scope: 'dcr.register',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('refuses client_secret_jwt, which a hashed secret cannot verify', async () => {
    const res = await register(host, await bootstrapToken(host), {
      ...MACHINE_CLIENT,
      token_endpoint_auth_method: 'client_secret_jwt',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('refuses, at registration, metadata the provider could not load', async () => {
    // Valid for RFC 7591, but this provider offers public subject identifiers only.
    const res = await register(host, await bootstrapToken(host), {
      ...MACHINE_CLIENT,
      subject_type: 'pairwise',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_client_metadata',
      error_description: expect.stringContaining('subject_type'),
    });
  });

  it('logs one JSON object per line', () => {
    const logs = host
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.length).toBeGreaterThan(0);
    for (const entry of logs) {
      expect(entry).toMatchObject({ level: expect.any(String), message: expect.anything() });
    }
    expect(logs.some((entry) => String(entry.message).startsWith('listening on'))).toBe(true);
  });

  it('writes no secret or token to its output', () => {
    expect(issued.length).toBeGreaterThan(0);
    const output = host.output();
    for (const value of [BOOTSTRAP_SECRET, ...issued]) expect(output).not.toContain(value);
  });
});

describe('sample-app host start and stop', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-sample-'));
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates the bootstrap client when unset, prints it once, and stops on SIGTERM', async () => {
    const host = await startHost({ PORT: String(await freePort()), DCR_DATA_DIR: dataDir });
    try {
      const printed = [...host.output().matchAll(/DCR_BOOTSTRAP_CLIENT_SECRET=(\S+)/g)];
      expect(printed).toHaveLength(1);
      const id = /DCR_BOOTSTRAP_CLIENT_ID=(\S+)/.exec(host.output())![1]!;
      const client = await providerClient(host, id, printed[0]![1]!);
      const tokens = await oidc.clientCredentialsGrant(client, { scope: 'dcr.register' });
      expect(tokens.scope).toBe('dcr.register');
    } finally {
      expect(await host.stop()).toBe('SIGTERM');
    }
    expect(host.output()).toContain('stopped (SIGTERM)');
  });

  it('still knows its clients after a restart on the same data directory', async () => {
    const env = {
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID,
      DCR_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
    };
    const first = await startHost(env);
    let registration: Registration;
    try {
      const res = await register(first, await bootstrapToken(first), MACHINE_CLIENT);
      expect(res.status).toBe(201);
      registration = (await res.json()) as Registration;
    } finally {
      expect(await first.stop()).toBe('SIGTERM');
    }

    const second = await startHost(env);
    try {
      const client = await providerClient(
        second,
        registration.client_id,
        registration.client_secret,
      );
      expect((await oidc.clientCredentialsGrant(client)).access_token).toEqual(expect.any(String));
      const read = await fetch(registration.registration_client_uri, {
        headers: { authorization: `Bearer ${registration.registration_access_token}` },
      });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ client_id: registration.client_id });
    } finally {
      await second.stop();
    }
  });

  it('finishes an in-flight request on SIGTERM, then exits', async () => {
    // Open registration: the request needs no token, so nothing but the shutdown is at play.
    const host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_REGISTRATION: 'open',
    });
    const body = JSON.stringify(MACHINE_CLIENT);
    // Expect: 100-continue makes the server confirm it has the request before the body comes.
    const request = httpRequest(`${host.url}/connect/dcr`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const response = once(request, 'response') as Promise<[IncomingMessage]>;
    request.flushHeaders();
    await once(request, 'continue');

    host.child.kill('SIGTERM');
    while (!host.output().includes('stopping (SIGTERM)')) await once(host.child.stdout!, 'data');
    request.end(body);

    const [res] = await response;
    let text = '';
    for await (const chunk of res) text += String(chunk);
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(text)).toHaveProperty('client_id');
    expect(await host.exited).toBe('SIGTERM');
    expect(host.output()).toContain('stopped (SIGTERM)');
  });

  it.each([
    ['PORT', { PORT: 'http' }],
    ['DCR_REGISTRATION', { DCR_REGISTRATION: 'sometimes' }],
    ['DCR_PUBLIC_URL', { DCR_PUBLIC_URL: 'ftp://example.com' }],
    [
      'DCR_TOKEN_JWKS_URI',
      {
        DCR_TOKEN_ISSUER: 'https://issuer.example',
        DCR_TOKEN_JWKS_URI: 'ftp://issuer.example/jwks',
      },
    ],
    [
      'DCR_BOOTSTRAP_CLIENT_SECRET',
      { DCR_BOOTSTRAP_CLIENT_ID: 'x', DCR_BOOTSTRAP_CLIENT_SECRET: 'short' },
    ],
  ])('exits at start-up naming %s when it is invalid', async (variable, env) => {
    const host = spawnHost({ DCR_DATA_DIR: dataDir, ...env });
    expect(await host.exited).toBe(1);
    expect(host.output()).toContain(`Invalid configuration: ${variable} `);
  });
});
