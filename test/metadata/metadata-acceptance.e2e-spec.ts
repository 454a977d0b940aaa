import { hashSecret } from '../../lib/crypto/secrets.js';
import { DcrModule } from '../../lib/dcr.module.js';
import { KNOWN_AUTH_METHODS } from '../../lib/dcr.options.js';
import { ClientStore } from '../../lib/store/client-store.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import { generateClientKeys, register, type ClientKeys } from './register.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

const WEB = { redirect_uris: ['https://app.example.com/cb'] };
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';

describe.each(ADAPTERS)('client metadata accepted (%s)', (adapter) => {
  let keys: ClientKeys;
  beforeAll(async () => {
    keys = await generateClientKeys();
  });
  const { app, url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      registration: OPEN_REGISTRATION,
      tokenEndpointAuthMethods: [...KNOWN_AUTH_METHODS],
      allowedScopes: ['openid', 'profile', 'email', 'api:read'],
      defaultScopes: ['openid', 'profile'],
    }),
  );

  const store = () => app().get(ClientStore);
  const stored = (clientId: unknown) => store().findById(clientId as string);

  it('echoes the RFC 7591 / OIDC defaults and stores exactly what it echoes', async () => {
    const { status, body } = await register(url(), WEB);
    expect(status).toBe(201);
    expect(body).toEqual({
      client_id: expect.any(String),
      client_id_issued_at: expect.any(Number),
      client_secret: expect.any(String),
      client_secret_expires_at: 0,
      redirect_uris: ['https://app.example.com/cb'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'web',
      scope: 'openid profile',
    });
    const client = await stored(body.client_id);
    const { client_id, client_id_issued_at, client_secret, client_secret_expires_at, ...metadata } =
      body;
    expect(client?.metadata).toEqual(metadata);
    expect(client?.clientSecretHash).toBe(hashSecret(client_secret as string));
    expect([client_id, client_id_issued_at, client_secret_expires_at]).toEqual([
      client?.clientId,
      client?.clientIdIssuedAt,
      client?.clientSecretExpiresAt,
    ]);
  });

  it('keeps language-tagged variants of human-readable members', async () => {
    const tagged = {
      client_name: 'Photo App',
      'client_name#ja': 'フォトアプリ',
      'client_name#ja-Jpan-JP': 'フォトアプリ',
      'logo_uri#en-US': 'https://app.example.com/logo-en.png',
      'tos_uri#fr': 'https://app.example.com/cgu',
      'policy_uri#de': 'https://app.example.com/datenschutz',
      'client_uri#es': 'https://app.example.com/es',
    };
    const { status, body } = await register(url(), { ...WEB, ...tagged });
    expect(status).toBe(201);
    expect(body).toMatchObject(tagged);
    expect((await stored(body.client_id))?.metadata).toMatchObject(tagged);
  });

  it('neither echoes nor stores unknown members, nor tags on members that take none', async () => {
    const { status, body } = await register(
      url(),
      '{"redirect_uris":["https://app.example.com/cb"],"favourite_colour":"teal",' +
        '"scope#ja":"openid","client_id#ja":"x","constructor":{"a":1},"hasOwnProperty":1,' +
        '"toString":"x","unknown#en":"y"}',
    );
    expect(status).toBe(201);
    for (const member of [
      'favourite_colour',
      'scope#ja',
      'client_id#ja',
      'constructor',
      'hasOwnProperty',
      'toString',
      'unknown#en',
    ]) {
      expect(Object.hasOwn(body, member)).toBe(false);
    }
    const metadata = (await stored(body.client_id))?.metadata ?? {};
    expect(Object.keys(metadata).sort()).toEqual(
      [
        'redirect_uris',
        'grant_types',
        'response_types',
        'token_endpoint_auth_method',
        'application_type',
        'scope',
      ].sort(),
    );
  });

  it('never uses client_id, client_secret or other server-issued values sent by the caller', async () => {
    const sent = {
      ...WEB,
      client_id: 'chosen-by-caller',
      client_secret: 'caller-secret-0123456789abcdef0123456789',
      client_id_issued_at: 1,
      client_secret_expires_at: 123,
      registration_access_token: 'caller-token',
      registration_client_uri: 'https://evil.test/clients/chosen-by-caller',
    };
    const { status, body } = await register(url(), sent);
    expect(status).toBe(201);
    expect(body.client_id).not.toBe(sent.client_id);
    expect(body.client_secret).not.toBe(sent.client_secret);
    expect(body.client_id_issued_at).toBeGreaterThan(1_700_000_000);
    expect(body.client_secret_expires_at).toBe(0);
    expect(body.registration_access_token).toBeUndefined();
    expect(body.registration_client_uri).toBeUndefined();
    expect(await stored(sent.client_id)).toBeUndefined();
    const client = await stored(body.client_id);
    expect(client?.clientSecretHash).not.toBe(hashSecret(sent.client_secret));
    const serverIssued = Object.keys(sent).filter((member) => member !== 'redirect_uris');
    for (const member of serverIssued) {
      expect(Object.hasOwn(client?.metadata ?? {}, member)).toBe(false);
    }
  });

  it.each([
    ['client_secret_basic', true],
    ['client_secret_post', true],
    ['client_secret_jwt', true],
    ['private_key_jwt', false],
    ['self_signed_tls_client_auth', false],
    ['none', false],
  ])('with %s issues a client secret: %s', async (method, issued) => {
    const { status, body } = await register(url(), {
      ...WEB,
      token_endpoint_auth_method: method,
      jwks: { keys: [keys.publicJwk] },
    });
    expect(status).toBe(201);
    expect(body.token_endpoint_auth_method).toBe(method);
    expect(Object.hasOwn(body, 'client_secret')).toBe(issued);
    expect(Object.hasOwn(body, 'client_secret_expires_at')).toBe(issued);
    expect((await stored(body.client_id))?.clientSecretHash !== undefined).toBe(issued);
  });

  it('registers public keys given as jwks, and an https jwks_uri', async () => {
    const jwks = { keys: [keys.publicJwk] };
    const byValue = await register(url(), {
      ...WEB,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks,
    });
    expect(byValue.status).toBe(201);
    expect(byValue.body.jwks).toEqual(jwks);
    const byReference = await register(url(), {
      ...WEB,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'https://app.example.com/.well-known/jwks.json',
    });
    expect(byReference.status).toBe(201);
    expect(byReference.body.jwks_uri).toBe('https://app.example.com/.well-known/jwks.json');
  });

  it('registers tls_client_auth with its one certificate subject, and drops subjects for other methods', async () => {
    const tls = await register(url(), {
      ...WEB,
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_san_dns: 'app.example.com',
    });
    expect(tls.status).toBe(201);
    expect(tls.body.tls_client_auth_san_dns).toBe('app.example.com');
    const basic = await register(url(), { ...WEB, tls_client_auth_subject_dn: 'CN=app' });
    expect(basic.status).toBe(201);
    expect(Object.hasOwn(basic.body, 'tls_client_auth_subject_dn')).toBe(false);
  });

  it('drops a software_statement that no validator accepted, and keeps software_id / software_version', async () => {
    const { status, body } = await register(url(), {
      ...WEB,
      software_statement: 'eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.',
      software_id: '4NRB1-0XZABZI9E6-5SM3R',
      software_version: '2.1',
    });
    expect(status).toBe(201);
    expect(Object.hasOwn(body, 'software_statement')).toBe(false);
    expect(body).toMatchObject({ software_id: '4NRB1-0XZABZI9E6-5SM3R', software_version: '2.1' });
  });

  it('keeps a requested scope (duplicates dropped) instead of the defaults', async () => {
    const { status, body } = await register(url(), { ...WEB, scope: 'api:read email api:read' });
    expect(status).toBe(201);
    expect(body.scope).toBe('api:read email');
  });

  it('drops exact duplicates in arrays, keeping the first order', async () => {
    const { status, body } = await register(url(), {
      redirect_uris: [
        'https://app.example.com/b',
        'https://app.example.com/a',
        'https://app.example.com/b',
      ],
      grant_types: ['authorization_code', 'refresh_token', 'authorization_code'],
      contacts: ['ops@example.com', 'ops@example.com'],
    });
    expect(status).toBe(201);
    expect(body.redirect_uris).toEqual(['https://app.example.com/b', 'https://app.example.com/a']);
    expect(body.grant_types).toEqual(['authorization_code', 'refresh_token']);
    expect(body.contacts).toEqual(['ops@example.com']);
  });

  it('treats null members as absent', async () => {
    const { status, body } = await register(url(), {
      ...WEB,
      client_name: null,
      grant_types: null,
      scope: null,
    });
    expect(status).toBe(201);
    expect(Object.hasOwn(body, 'client_name')).toBe(false);
    expect(body.grant_types).toEqual(['authorization_code']);
    expect(body.scope).toBe('openid profile');
  });

  it('registers a client_credentials client without redirect URIs or response types', async () => {
    const { status, body } = await register(url(), {
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'api:read',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      grant_types: ['client_credentials'],
      response_types: [],
      scope: 'api:read',
    });
    expect(Object.hasOwn(body, 'redirect_uris')).toBe(false);
    expect(body.client_secret).toEqual(expect.any(String));
  });

  it.each([
    'https://app.example.com/cb?x=1',
    'https://localhost/cb',
    'http://localhost:3000/cb',
    'http://LOCALHOST:3000/cb',
    'http://127.0.0.1/cb',
    'http://[::1]:8080/cb',
  ])('accepts the web redirect URI %s, stored as sent', async (uri) => {
    const { status, body } = await register(url(), { redirect_uris: [uri] });
    expect(status).toBe(201);
    expect(body.redirect_uris).toEqual([uri]);
  });

  it.each([
    'com.example.app:/oauth2redirect',
    'com.example.app://callback',
    // RFC 8252 §7.1 recommends reverse domain names but does not require them.
    'cursor://anysphere.cursor-mcp/oauth/callback',
    'myapp:/cb',
    'http://127.0.0.1:51234/cb',
    'http://[::1]/cb',
    'http://localhost:8080/cb',
    'https://app.example.com/cb',
  ])('accepts the native redirect URI %s', async (uri) => {
    const { status, body } = await register(url(), {
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: [uri],
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ application_type: 'native', redirect_uris: [uri] });
    expect(Object.hasOwn(body, 'client_secret')).toBe(false);
  });

  it.each([
    [['cursor://anysphere.cursor-mcp/oauth/callback']],
    [['http://localhost:33418/callback']],
    [['http://127.0.0.1/', 'com.example.app:/cb', 'http://[::1]:8080/cb']],
  ])(
    'registers a web client whose redirect URIs all reach the device (%j) as native',
    async (redirectUris) => {
      const { status, body } = await register(url(), {
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        redirect_uris: redirectUris,
      });
      expect(status).toBe(201);
      expect(body).toMatchObject({ application_type: 'native', redirect_uris: redirectUris });
    },
  );

  it('keeps a web client with one https redirect URI beside loopback ones as web', async () => {
    const redirectUris = ['https://app.example.com/cb', 'http://localhost:3000/cb'];
    const { status, body } = await register(url(), { redirect_uris: redirectUris });
    expect(status).toBe(201);
    expect(body).toMatchObject({ application_type: 'web', redirect_uris: redirectUris });
  });

  it.each([{ scope: '' }, {}])(
    'treats %j as no scope: the default scopes are registered',
    async (scope) => {
      const { status, body } = await register(url(), { ...WEB, ...scope });
      expect(status).toBe(201);
      expect(body.scope).toBe('openid profile');
    },
  );

  it('registers the OIDC members it knows, with their types', async () => {
    const oidc = {
      client_name: 'Photo App',
      client_uri: 'https://app.example.com',
      logo_uri: 'https://app.example.com/logo.png',
      policy_uri: 'https://app.example.com/privacy',
      tos_uri: 'https://app.example.com/tos',
      contacts: ['ops@example.com'],
      initiate_login_uri: 'https://app.example.com/login',
      // sector_identifier_uri is fetched at registration: test/registration/sector-identifier.e2e-spec.ts
      subject_type: 'pairwise',
      default_max_age: 0,
      require_auth_time: true,
      default_acr_values: ['urn:mace:incommon:iap:silver'],
      post_logout_redirect_uris: ['https://app.example.com/bye'],
    };
    const { status, body } = await register(url(), { ...WEB, ...oidc });
    expect(status).toBe(201);
    expect(body).toMatchObject(oidc);
  });
});

describe.each(ADAPTERS)(
  'client metadata accepted with implicit and device grants (%s)',
  (adapter) => {
    const { url } = useDcrApp(adapter, () =>
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        grantTypes: ['authorization_code', 'implicit', 'refresh_token', DEVICE_CODE],
        // No scope is registrable by default (issue 15); '*' opts into any.
        allowedScopes: '*',
      }),
    );

    it('registers implicit and hybrid response types that match the grants', async () => {
      const { status, body } = await register(url(), {
        ...WEB,
        grant_types: ['authorization_code', 'implicit'],
        response_types: ['code', 'id_token token', 'code id_token'],
      });
      expect(status).toBe(201);
      expect(body.response_types).toEqual(['code', 'id_token token', 'code id_token']);
    });

    it('lets refresh_token follow the device grant', async () => {
      const { status, body } = await register(url(), {
        grant_types: [DEVICE_CODE, 'refresh_token'],
        token_endpoint_auth_method: 'none',
      });
      expect(status).toBe(201);
      expect(body).toMatchObject({
        grant_types: [DEVICE_CODE, 'refresh_token'],
        response_types: [],
      });
    });

    it("accepts any scope-tokens with allowedScopes: '*', and registers no scope by default", async () => {
      const withScope = await register(url(), { ...WEB, scope: 'anything urn:example:read' });
      expect(withScope.status).toBe(201);
      expect(withScope.body.scope).toBe('anything urn:example:read');
      const without = await register(url(), WEB);
      expect(without.status).toBe(201);
      expect(Object.hasOwn(without.body, 'scope')).toBe(false);
    });
  },
);
