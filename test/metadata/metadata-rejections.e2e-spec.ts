import { DcrModule } from '../../lib/dcr.module.js';
import { KNOWN_AUTH_METHODS } from '../../lib/dcr.options.js';
import { PRIVATE_JWK_MEMBERS } from '../../lib/metadata/client-metadata.rules.js';
import { ClientStore } from '../../lib/store/client-store.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import {
  generateClientKeys,
  RecordingClientStore,
  register,
  type ClientKeys,
  type RegistrationReply,
} from './register.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

type Code = 'invalid_redirect_uri' | 'invalid_client_metadata';

interface Rejection {
  title: string;
  body: Record<string, unknown> | ((keys: ClientKeys) => Record<string, unknown>);
  error: Code;
  /** The member the error_description must name first. */
  member: string;
}

const WEB = { redirect_uris: ['https://app.example.com/cb'] };
const web = (...redirect_uris: string[]) => ({ redirect_uris });
const native = (...redirect_uris: string[]) => ({ application_type: 'native', redirect_uris });
const M = 'invalid_client_metadata' as const;
const R = 'invalid_redirect_uri' as const;

const BLOCKED_SCHEME_URIS = [
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'JAVASCRIPT://app.example.com/%0aalert(1)',
  'data:text/html;base64,PHNjcmlwdD4=',
  'DATA:text/html,x',
  'vbscript:msgbox(1)',
  'VBScript:msgbox(1)',
  'file:///etc/passwd',
  'FILE://host/share',
  'blob:https://app.example.com/0b4c5e7a',
  'about:blank',
  'About:blank',
];

const rejections: Rejection[] = [
  // JSON types of known members
  {
    title: 'redirect_uris as a string',
    body: { redirect_uris: 'https://a.example/cb' },
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'redirect_uris holding a number',
    body: { redirect_uris: [42] },
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'grant_types as a string',
    body: { ...WEB, grant_types: 'authorization_code' },
    error: M,
    member: 'grant_types',
  },
  {
    title: 'response_types as a string',
    body: { ...WEB, response_types: 'code' },
    error: M,
    member: 'response_types',
  },
  {
    title: 'token_endpoint_auth_method as an array',
    body: { ...WEB, token_endpoint_auth_method: ['none'] },
    error: M,
    member: 'token_endpoint_auth_method',
  },
  {
    title: 'client_name as a number',
    body: { ...WEB, client_name: 7 },
    error: M,
    member: 'client_name',
  },
  {
    title: 'client_name empty',
    body: { ...WEB, client_name: '' },
    error: M,
    member: 'client_name',
  },
  {
    title: 'contacts as a string',
    body: { ...WEB, contacts: 'ops@example.com' },
    error: M,
    member: 'contacts',
  },
  {
    title: 'contacts holding a number',
    body: { ...WEB, contacts: ['ops@example.com', 1] },
    error: M,
    member: 'contacts',
  },
  { title: 'scope as an array', body: { ...WEB, scope: ['openid'] }, error: M, member: 'scope' },
  { title: 'jwks as an array', body: { ...WEB, jwks: [] }, error: M, member: 'jwks' },
  { title: 'jwks as a string', body: { ...WEB, jwks: '{"keys":[]}' }, error: M, member: 'jwks' },
  {
    title: 'software_id as a number',
    body: { ...WEB, software_id: 12 },
    error: M,
    member: 'software_id',
  },
  {
    title: 'software_version as an object',
    body: { ...WEB, software_version: { v: 1 } },
    error: M,
    member: 'software_version',
  },
  {
    title: 'default_max_age as a string',
    body: { ...WEB, default_max_age: '60' },
    error: M,
    member: 'default_max_age',
  },
  {
    title: 'default_max_age negative',
    body: { ...WEB, default_max_age: -1 },
    error: M,
    member: 'default_max_age',
  },
  {
    title: 'default_max_age fractional',
    body: { ...WEB, default_max_age: 1.5 },
    error: M,
    member: 'default_max_age',
  },
  {
    title: 'require_auth_time as a string',
    body: { ...WEB, require_auth_time: 'true' },
    error: M,
    member: 'require_auth_time',
  },
  {
    title: 'subject_type unknown',
    body: { ...WEB, subject_type: 'secret' },
    error: M,
    member: 'subject_type',
  },
  {
    title: 'application_type unknown',
    body: { ...WEB, application_type: 'desktop' },
    error: M,
    member: 'application_type',
  },
  {
    title: 'application_type in capitals',
    body: { ...WEB, application_type: 'WEB' },
    error: M,
    member: 'application_type',
  },
  // language tags
  {
    title: 'a tagged client_name as a number',
    body: { ...WEB, 'client_name#ja': 3 },
    error: M,
    member: 'client_name#ja',
  },
  {
    title: 'an empty language tag',
    body: { ...WEB, 'client_name#': 'x' },
    error: M,
    member: 'client_name#',
  },
  {
    title: 'a language tag with a space',
    body: { ...WEB, 'client_name#en US': 'x' },
    error: M,
    member: 'client_name#en US',
  },
  {
    title: 'a language tag with an underscore',
    body: { ...WEB, 'client_name#ja_JP': 'x' },
    error: M,
    member: 'client_name#ja_JP',
  },
  {
    title: 'a tagged logo_uri over http',
    body: { ...WEB, 'logo_uri#ja': 'http://app.example.com/ja.png' },
    error: M,
    member: 'logo_uri#ja',
  },
  // redirect_uris: presence and shape
  { title: 'no redirect_uris for authorization_code', body: {}, error: R, member: 'redirect_uris' },
  {
    title: 'empty redirect_uris for authorization_code',
    body: { redirect_uris: [] },
    error: R,
    member: 'redirect_uris',
  },
  { title: 'a relative redirect URI', body: web('/cb'), error: R, member: 'redirect_uris' },
  {
    title: 'a scheme-relative redirect URI',
    body: web('//app.example.com/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'a redirect URI with a fragment',
    body: web('https://app.example.com/cb#frag'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'a redirect URI with an empty fragment',
    body: web('https://app.example.com/cb#'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'a redirect URI with credentials',
    body: web('https://user:pw@app.example.com/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'a redirect URI without //',
    body: web('https:app.example.com/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'a redirect URI with a backslash',
    body: web('https:\\\\app.example.com\\cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'a redirect URI with a space',
    body: web('https://app.example.com/c b'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'a redirect URI with leading whitespace',
    body: web(' https://app.example.com/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'a redirect URI with an embedded tab',
    body: web('java\tscript:alert(1)'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'one bad redirect URI among good ones',
    body: web('https://app.example.com/cb', 'http://app.example.com/cb'),
    error: R,
    member: 'redirect_uris',
  },
  // redirect_uris: blocked schemes, for web and native clients
  ...BLOCKED_SCHEME_URIS.flatMap((uri): Rejection[] => [
    { title: `web redirect URI ${uri}`, body: web(uri), error: R, member: 'redirect_uris' },
    { title: `native redirect URI ${uri}`, body: native(uri), error: R, member: 'redirect_uris' },
  ]),
  // redirect_uris: web clients
  {
    title: 'web: http on a public host',
    body: web('http://app.example.com/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'web: http on localhost.evil.test',
    body: web('http://localhost.evil.test/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'web: http on 127.0.0.1.nip.io',
    body: web('http://127.0.0.1.nip.io/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'web: http on localhost. (trailing dot)',
    body: web('http://localhost./cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'web: http on evil.test with a localhost user',
    body: web('http://localhost@evil.test/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    // Not all on the device, so it stays a web client (see metadata-acceptance).
    title: 'web: a private-use scheme beside an https URI',
    body: web('https://app.example.com/cb', 'com.example.app:/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'web: ftp beside an https URI',
    body: web('https://app.example.com/cb', 'ftp://app.example.com/cb'),
    error: R,
    member: 'redirect_uris',
  },
  // redirect_uris: native clients (RFC 8252)
  {
    title: 'native: ftp',
    body: native('ftp://app.example.com/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'native: wss',
    body: native('wss://app.example.com/cb'),
    error: R,
    member: 'redirect_uris',
  },
  { title: 'web: ws only', body: web('ws://localhost/cb'), error: R, member: 'redirect_uris' },
  {
    title: 'native: http on a public host',
    body: native('http://app.example.com/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'native: http on localhost.evil.test',
    body: native('http://localhost.evil.test:8080/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'native: https on localhost',
    body: native('https://localhost/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'native: https on 127.0.0.1',
    body: native('https://127.0.0.1:8443/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'native: https on [::1]',
    body: native('https://[::1]/cb'),
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'native: a fragment',
    body: native('com.example.app:/cb#x'),
    error: R,
    member: 'redirect_uris',
  },
  // post_logout_redirect_uris follow the redirect URI rules, reported as metadata
  {
    title: 'a javascript: post-logout redirect URI',
    body: { ...WEB, post_logout_redirect_uris: ['javascript:alert(1)'] },
    error: M,
    member: 'post_logout_redirect_uris',
  },
  {
    title: 'an http post-logout redirect URI on a public host',
    body: { ...WEB, post_logout_redirect_uris: ['http://app.example.com/bye'] },
    error: M,
    member: 'post_logout_redirect_uris',
  },
  // grant_types
  {
    title: 'empty grant_types',
    body: { ...WEB, grant_types: [] },
    error: M,
    member: 'grant_types',
  },
  {
    title: 'an unsupported grant type',
    body: { ...WEB, grant_types: ['authorization_code', 'password'] },
    error: M,
    member: 'grant_types',
  },
  {
    title: 'implicit, unsupported by default',
    body: { ...WEB, grant_types: ['implicit'], response_types: ['token'] },
    error: M,
    member: 'grant_types',
  },
  {
    title: 'refresh_token alone',
    body: { grant_types: ['refresh_token'], response_types: [] },
    error: M,
    member: 'grant_types',
  },
  {
    title: 'refresh_token with client_credentials only',
    body: { grant_types: ['client_credentials', 'refresh_token'] },
    error: M,
    member: 'grant_types',
  },
  // response_types <-> grant_types
  {
    title: 'response type token without implicit',
    body: { ...WEB, response_types: ['code', 'token'] },
    error: M,
    member: 'response_types',
  },
  {
    title: 'response type id_token without implicit',
    body: { ...WEB, response_types: ['id_token'] },
    error: M,
    member: 'response_types',
  },
  {
    title: 'response type code without authorization_code',
    body: { grant_types: ['client_credentials'], response_types: ['code'] },
    error: M,
    member: 'response_types',
  },
  {
    title: 'authorization_code without response type code',
    body: { ...WEB, response_types: [] },
    error: M,
    member: 'response_types',
  },
  {
    title: 'an unknown response type',
    body: { ...WEB, response_types: ['code', 'device'] },
    error: M,
    member: 'response_types',
  },
  {
    title: 'response type none',
    body: { ...WEB, response_types: ['none'] },
    error: M,
    member: 'response_types',
  },
  {
    title: 'a repeated response type value',
    body: { ...WEB, response_types: ['code code'] },
    error: M,
    member: 'response_types',
  },
  {
    title: 'a response type with a double space',
    body: { ...WEB, response_types: ['code  id_token'] },
    error: M,
    member: 'response_types',
  },
  // token_endpoint_auth_method
  {
    title: 'an unknown auth method',
    body: { ...WEB, token_endpoint_auth_method: 'magic' },
    error: M,
    member: 'token_endpoint_auth_method',
  },
  {
    title: 'client_credentials with none',
    body: { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' },
    error: M,
    member: 'token_endpoint_auth_method',
  },
  {
    title: 'client_credentials and authorization_code with none',
    body: {
      ...WEB,
      grant_types: ['authorization_code', 'client_credentials'],
      token_endpoint_auth_method: 'none',
    },
    error: M,
    member: 'token_endpoint_auth_method',
  },
  {
    title: 'private_key_jwt without keys',
    body: { ...WEB, token_endpoint_auth_method: 'private_key_jwt' },
    error: M,
    member: 'token_endpoint_auth_method',
  },
  {
    title: 'self_signed_tls_client_auth without keys',
    body: { ...WEB, token_endpoint_auth_method: 'self_signed_tls_client_auth' },
    error: M,
    member: 'token_endpoint_auth_method',
  },
  {
    title: 'tls_client_auth without a certificate subject',
    body: { ...WEB, token_endpoint_auth_method: 'tls_client_auth' },
    error: M,
    member: 'token_endpoint_auth_method',
  },
  {
    title: 'tls_client_auth with two certificate subjects',
    body: {
      ...WEB,
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: 'CN=app',
      tls_client_auth_san_dns: 'app.example.com',
    },
    error: M,
    member: 'token_endpoint_auth_method',
  },
  // jwks / jwks_uri
  {
    title: 'jwks and jwks_uri together',
    body: (k) => ({
      ...WEB,
      jwks: { keys: [k.publicJwk] },
      jwks_uri: 'https://app.example.com/jwks',
    }),
    error: M,
    member: 'jwks',
  },
  { title: 'jwks without keys', body: { ...WEB, jwks: {} }, error: M, member: 'jwks' },
  {
    title: 'jwks with an empty keys array',
    body: { ...WEB, jwks: { keys: [] } },
    error: M,
    member: 'jwks',
  },
  {
    title: 'jwks with keys as an object',
    body: (k) => ({ ...WEB, jwks: { keys: k.publicJwk } }),
    error: M,
    member: 'jwks',
  },
  {
    title: 'jwks with a key that is not an object',
    body: { ...WEB, jwks: { keys: ['key'] } },
    error: M,
    member: 'jwks',
  },
  {
    title: 'jwks with a key without kty',
    body: { ...WEB, jwks: { keys: [{ kid: 'x' }] } },
    error: M,
    member: 'jwks',
  },
  {
    title: 'jwks with a real private EC key',
    body: (k) => ({ ...WEB, jwks: { keys: [k.privateJwk] } }),
    error: M,
    member: 'jwks',
  },
  {
    title: 'jwks with a real symmetric key',
    body: (k) => ({ ...WEB, jwks: { keys: [k.secretJwk] } }),
    error: M,
    member: 'jwks',
  },
  ...PRIVATE_JWK_MEMBERS.map((secret): Rejection => ({
    title: `jwks with a public key carrying "${secret}"`,
    body: (k) => ({
      ...WEB,
      jwks: { keys: [k.publicJwk, { ...k.publicJwk, kid: 'x', [secret]: 'AQAB' }] },
    }),
    error: M,
    member: 'jwks',
  })),
  {
    title: 'jwks_uri over http',
    body: { ...WEB, jwks_uri: 'http://app.example.com/jwks' },
    error: M,
    member: 'jwks_uri',
  },
  {
    title: 'jwks_uri over http on localhost',
    body: { ...WEB, jwks_uri: 'http://localhost/jwks' },
    error: M,
    member: 'jwks_uri',
  },
  { title: 'jwks_uri relative', body: { ...WEB, jwks_uri: '/jwks' }, error: M, member: 'jwks_uri' },
  // other URI members: https only
  ...(
    [
      'client_uri',
      'logo_uri',
      'policy_uri',
      'tos_uri',
      'initiate_login_uri',
      'sector_identifier_uri',
    ] as const
  ).flatMap((member): Rejection[] => [
    {
      title: `${member} over http`,
      body: { ...WEB, [member]: 'http://app.example.com/x' },
      error: M,
      member,
    },
    {
      title: `${member} as javascript:`,
      body: { ...WEB, [member]: 'javascript:alert(1)' },
      error: M,
      member,
    },
    { title: `${member} relative`, body: { ...WEB, [member]: 'x.html' }, error: M, member },
    {
      title: `${member} with credentials`,
      body: { ...WEB, [member]: 'https://u:p@app.example.com/x' },
      error: M,
      member,
    },
  ]),
  // scope
  // scope: "" counts as absent (metadata-acceptance).
  {
    title: 'a scope with a double space',
    body: { ...WEB, scope: 'openid  profile' },
    error: M,
    member: 'scope',
  },
  {
    title: 'a scope with a leading space',
    body: { ...WEB, scope: ' openid' },
    error: M,
    member: 'scope',
  },
  {
    title: 'a scope-token with a quote',
    body: { ...WEB, scope: 'openid "profile"' },
    error: M,
    member: 'scope',
  },
  {
    title: 'a scope-token with a backslash',
    body: { ...WEB, scope: 'api\\read' },
    error: M,
    member: 'scope',
  },
  {
    title: 'a scope outside allowedScopes',
    body: { ...WEB, scope: 'openid admin' },
    error: M,
    member: 'scope',
  },
];

describe.each(ADAPTERS)('client metadata rejections (%s)', (adapter) => {
  let keys: ClientKeys;
  beforeAll(async () => {
    keys = await generateClientKeys();
  });
  const { app, url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      registration: OPEN_REGISTRATION,
      tokenEndpointAuthMethods: [...KNOWN_AUTH_METHODS],
      allowedScopes: ['openid', 'profile', 'api:read'],
      store: RecordingClientStore,
    }),
  );

  it.each(rejections)('rejects $title with $error', async ({ body, error, member }) => {
    expectRejection(
      await register(url(), typeof body === 'function' ? body(keys) : body),
      error,
      member,
    );
  });

  it('stores nothing for a rejected request', async () => {
    const store = app().get(ClientStore) as RecordingClientStore;
    expect(store.created).toEqual([]);
  });
});

describe.each(ADAPTERS)('client metadata rejections with implicit enabled (%s)', (adapter) => {
  const { url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      registration: OPEN_REGISTRATION,
      grantTypes: ['authorization_code', 'implicit', 'refresh_token'],
    }),
  );

  it.each<Rejection>([
    {
      title: 'implicit without redirect_uris',
      body: { grant_types: ['implicit'], response_types: ['id_token token'] },
      error: R,
      member: 'redirect_uris',
    },
    {
      title: 'implicit without a token or id_token response type',
      body: { ...WEB, grant_types: ['implicit', 'authorization_code'], response_types: ['code'] },
      error: M,
      member: 'response_types',
    },
    {
      title: 'a hybrid response type without authorization_code',
      body: { ...WEB, grant_types: ['implicit'], response_types: ['code id_token'] },
      error: M,
      member: 'response_types',
    },
    {
      title: 'client_credentials, not enabled here',
      body: { grant_types: ['client_credentials'] },
      error: M,
      member: 'grant_types',
    },
    {
      title: 'tls_client_auth, not enabled by default',
      body: {
        ...WEB,
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: 'CN=app',
      },
      error: M,
      member: 'token_endpoint_auth_method',
    },
  ])('rejects $title with $error', async ({ body, error, member }) => {
    expectRejection(await register(url(), body), error, member);
  });
});

/** A 400 with the RFC error code and a description that starts with the member's name. */
function expectRejection(reply: RegistrationReply, error: Code, member: string): void {
  expect(reply.status).toBe(400);
  expect(reply.body.error).toBe(error);
  expect(reply.body.error_description).toEqual(
    expect.stringMatching(new RegExp(`^${escape(member)} `)),
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
