import type { INestApplication } from '@nestjs/common';
import { DcrModule } from '../../lib/dcr.module.js';
import type { DcrModuleOptions } from '../../lib/dcr.options.js';
import { ClientStore } from '../../lib/store/client-store.js';
import type { DcrStorageOptions } from '../../lib/store/store.options.js';
import { TEST_DATABASE_URL, useTestSchemas } from '../support/postgres.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

type Json = Record<string, unknown>;

const PUBLIC_URL = 'https://id.example.com/tenant';
const registration = {
  redirect_uris: ['https://app.example.com/cb'],
  client_name: 'Managed',
  token_endpoint_auth_method: 'client_secret_basic',
};

const { freshSchema } = useTestSchemas();

/** Every scenario runs against the in-memory store and the real PostgreSQL server. */
const STORES: [string, () => DcrStorageOptions][] = [
  ['in-memory', () => ({ kind: 'memory' })],
  [
    'PostgreSQL',
    () => ({
      kind: 'postgres',
      connectionString: TEST_DATABASE_URL,
      schema: freshSchema('management'),
    }),
  ],
];

const MATRIX = ADAPTERS.flatMap((adapter) =>
  STORES.map(([store, storage]) => [adapter, store, storage] as const),
);

describe.each(MATRIX)('RFC 7592 client management (%s, %s store)', (adapter, _store, storage) => {
  let app: INestApplication;
  let base: string;

  async function start(options: DcrModuleOptions = { publicBaseUrl: PUBLIC_URL }): Promise<void> {
    app = await startApp(
      adapter,
      DcrModule.forRoot({ registration: OPEN_REGISTRATION, storage: storage(), ...options }),
    );
    base = await baseUrl(app);
  }
  afterEach(() => app?.close());

  async function call(
    method: string,
    path: string,
    token?: string,
    body?: Json,
  ): Promise<{ status: number; headers: Headers; body: Json | undefined }> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as Json) : undefined,
    };
  }

  async function registerClient(body: Json = registration): Promise<Json> {
    const res = await call('POST', 'connect/dcr', undefined, body);
    expect(res.status).toBe(201);
    return res.body!;
  }

  /** The body of a full-replacement update of `client`. */
  function updateOf(client: Json, changes: Json = {}): Json {
    return { ...registration, client_id: client.client_id, ...changes };
  }

  describe('with management on', () => {
    beforeEach(() => start());

    it('registration returns the token and the absolute client configuration URI', async () => {
      const client = await registerClient();
      expect(client.registration_access_token).toEqual(expect.stringMatching(/^[\w-]{43}$/));
      expect(client.registration_client_uri).toBe(
        `${PUBLIC_URL}/connect/dcr/${client.client_id as string}`,
      );
      const stored = await app.get(ClientStore).findById(client.client_id as string);
      expect(JSON.stringify(stored)).not.toContain(client.registration_access_token as string);
    });

    it('GET returns the current registration, without the secret', async () => {
      const client = await registerClient();
      const res = await call(
        'GET',
        `connect/dcr/${client.client_id as string}`,
        client.registration_access_token as string,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const { client_secret: _secret, ...expected } = client;
      expect(res.body).toEqual(expected);
    });

    it.each([
      ['no token', undefined],
      ['a wrong token', 'x'.repeat(43)],
      ['a malformed header value', 'two words'],
    ])('GET with %s: 401', async (_name, token) => {
      const client = await registerClient();
      const res = await call('GET', `connect/dcr/${client.client_id as string}`, token);
      expect(res.status).toBe(401);
      expect(res.body?.error).toBe('invalid_token');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    });

    it("refuses another client's token and an unknown client alike: 401", async () => {
      const a = await registerClient();
      const b = await registerClient();
      const foreign = await call(
        'GET',
        `connect/dcr/${a.client_id as string}`,
        b.registration_access_token as string,
      );
      const unknown = await call(
        'GET',
        'connect/dcr/unknown-client',
        b.registration_access_token as string,
      );
      expect([foreign.status, unknown.status]).toEqual([401, 401]);
      expect(foreign.body).toEqual(unknown.body);
    });

    it('refuses the token in the query string', async () => {
      const client = await registerClient();
      const res = await call(
        'GET',
        `connect/dcr/${client.client_id as string}?access_token=${client.registration_access_token as string}`,
      );
      expect(res.status).toBe(401);
    });

    it('PUT replaces the metadata wholly and rotates the token', async () => {
      const client = await registerClient({
        ...registration,
        client_uri: 'https://app.example.com',
      });
      const path = `connect/dcr/${client.client_id as string}`;
      const oldToken = client.registration_access_token as string;
      const res = await call('PUT', path, oldToken, updateOf(client, { client_name: 'Renamed' }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ client_id: client.client_id, client_name: 'Renamed' });
      expect(res.body).not.toHaveProperty('client_uri');
      expect(res.body).not.toHaveProperty('client_secret');
      expect(res.body?.client_id_issued_at).toBe(client.client_id_issued_at);
      const newToken = res.body?.registration_access_token as string;
      expect(newToken).toMatch(/^[\w-]{43}$/);
      expect(newToken).not.toBe(oldToken);
      expect((await call('GET', path, oldToken)).status).toBe(401);
      expect((await call('GET', path, newToken)).body?.client_name).toBe('Renamed');
    });

    it('PUT accepts the current client_secret and refuses another', async () => {
      const client = await registerClient();
      const path = `connect/dcr/${client.client_id as string}`;
      const wrong = await call(
        'PUT',
        path,
        client.registration_access_token as string,
        updateOf(client, { client_secret: 'nope' }),
      );
      expect(wrong.status).toBe(400);
      expect(wrong.body?.error).toBe('invalid_client_metadata');
      const right = await call(
        'PUT',
        path,
        client.registration_access_token as string,
        updateOf(client, { client_secret: client.client_secret }),
      );
      expect(right.status).toBe(200);
      expect(right.body).not.toHaveProperty('client_secret');
    });

    it.each([
      ['a different client_id', { client_id: 'someone-else' }],
      ['no client_id', { client_id: undefined }],
      ['registration_access_token', { registration_access_token: 'x' }],
      ['registration_client_uri', { registration_client_uri: 'https://x.example' }],
      ['client_secret_expires_at', { client_secret_expires_at: 0 }],
      ['client_id_issued_at', { client_id_issued_at: 1 }],
    ])('PUT with %s: 400, client unchanged, token still valid', async (_name, changes) => {
      const client = await registerClient();
      const path = `connect/dcr/${client.client_id as string}`;
      const token = client.registration_access_token as string;
      const res = await call('PUT', path, token, updateOf(client, changes));
      expect(res.status).toBe(400);
      expect(res.body?.error).toBe('invalid_client_metadata');
      expect((await call('GET', path, token)).body?.client_name).toBe('Managed');
    });

    it('PUT re-runs the metadata validation', async () => {
      const client = await registerClient();
      const path = `connect/dcr/${client.client_id as string}`;
      const token = client.registration_access_token as string;
      const res = await call(
        'PUT',
        path,
        token,
        updateOf(client, { redirect_uris: ['javascript:alert(1)'] }),
      );
      expect(res.status).toBe(400);
      expect(res.body?.error).toBe('invalid_redirect_uri');
      expect((await call('GET', path, token)).body?.redirect_uris).toEqual(
        registration.redirect_uris,
      );
    });

    it('PUT to a method without a secret drops it; back to a secret method issues a new one', async () => {
      // Moving to none is refused by default (see the secure-defaults spec): opt in.
      await app.close();
      await start({ publicBaseUrl: PUBLIC_URL, allowAuthMethodNoneOnUpdate: true });
      const client = await registerClient();
      const path = `connect/dcr/${client.client_id as string}`;
      const toNone = await call(
        'PUT',
        path,
        client.registration_access_token as string,
        updateOf(client, { token_endpoint_auth_method: 'none' }),
      );
      expect(toNone.status).toBe(200);
      expect(toNone.body).not.toHaveProperty('client_secret_expires_at');
      const back = await call(
        'PUT',
        path,
        toNone.body?.registration_access_token as string,
        updateOf(client),
      );
      expect(back.status).toBe(200);
      expect(back.body?.client_secret).toEqual(expect.any(String));
      expect(back.body?.client_secret).not.toBe(client.client_secret);
      expect(back.body?.client_secret_expires_at).toBe(0);
    });

    it('DELETE removes the client: 204, then its token no longer works', async () => {
      const client = await registerClient();
      const path = `connect/dcr/${client.client_id as string}`;
      const token = client.registration_access_token as string;
      const res = await call('DELETE', path, token);
      expect(res.status).toBe(204);
      expect(res.body).toBeUndefined();
      expect(await app.get(ClientStore).findById(client.client_id as string)).toBeUndefined();
      expect((await call('GET', path, token)).status).toBe(401);
      expect((await call('DELETE', path, token)).status).toBe(401);
    });
  });

  it('holds an update to the policy bound at registration', async () => {
    await start({
      publicBaseUrl: PUBLIC_URL,
      grantTypes: ['authorization_code', 'client_credentials'],
      registration: {
        ...OPEN_REGISTRATION,
        anonymousPolicy: { grantTypes: ['authorization_code'] },
      },
    });
    const client = await registerClient();
    const path = `connect/dcr/${client.client_id as string}`;
    const token = client.registration_access_token as string;
    const widened = { grant_types: ['authorization_code', 'client_credentials'] };
    const res = await call('PUT', path, token, updateOf(client, widened));
    expect(res.status).toBe(400);
    expect(res.body?.error).toBe('invalid_client_metadata');
    expect((await call('GET', path, token)).body?.grant_types).toEqual(['authorization_code']);
  });

  it('keeps the token across updates when rotation is off', async () => {
    await start({ publicBaseUrl: PUBLIC_URL, rotateRegistrationAccessToken: false });
    const client = await registerClient();
    const path = `connect/dcr/${client.client_id as string}`;
    const token = client.registration_access_token as string;
    const res = await call('PUT', path, token, updateOf(client, { client_name: 'Same token' }));
    expect(res.status).toBe(200);
    expect(res.body?.registration_access_token).toBe(token);
    expect((await call('GET', path, token)).status).toBe(200);
  });

  it.each<[string, DcrModuleOptions]>([
    ['without a public URL', {}],
    ['switched off', { publicBaseUrl: PUBLIC_URL, management: false }],
  ])('issues neither token nor URI %s, and the endpoint is absent', async (_name, options) => {
    await start(options);
    const client = await registerClient();
    expect(client).not.toHaveProperty('registration_access_token');
    expect(client).not.toHaveProperty('registration_client_uri');
    const res = await call('GET', `connect/dcr/${client.client_id as string}`, 'x');
    expect(res.status).toBe(404);
  });
});
