import { DcrModule } from '../../lib/dcr.module.js';
import type { DcrModuleOptions } from '../../lib/dcr.options.js';
import {
  generateSigningKey,
  nowSeconds,
  signStatement,
} from '../software-statement/signing-keys.js';
import { ADAPTERS } from '../support/adapters.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';
import { register, type RegistrationReply } from '../support/register.js';
import { useDcrApp } from '../support/suite-app.js';

const base = { redirect_uris: ['https://app.example.com/cb'] };
const ISSUER = 'https://directory.example';
const key = generateSigningKey('ES256', 'directory');

function expectRefused(res: RegistrationReply, member: string, error = 'invalid_client_metadata') {
  expect(res.status).toBe(400);
  expect(res.body.error).toBe(error);
  expect(String(res.body.error_description).startsWith(member + ' ')).toBe(true);
}

function dcrApp(
  adapter: (typeof ADAPTERS)[number],
  options: DcrModuleOptions = {},
  maxAgeWithoutExpSeconds?: number,
) {
  return useDcrApp(adapter, async () =>
    DcrModule.forRoot({
      registration: OPEN_REGISTRATION,
      publicBaseUrl: 'https://id.example.com',
      softwareStatements: {
        issuers: [{ issuer: ISSUER, keys: [(await key).publicJwk] }],
        maxAgeWithoutExpSeconds,
      },
      ...options,
    }),
  );
}

async function update(url: string, token: string, body: object): Promise<RegistrationReply> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    text: '',
    body: (await res.json()) as Record<string, unknown>,
  };
}

/** The RFC 7592 update asking that `created` (registered from `base`) move to token_endpoint_auth_method none. */
function updateToNone(url: string, created: RegistrationReply): Promise<RegistrationReply> {
  const clientId = created.body.client_id as string;
  return update(`${url}/${clientId}`, created.body.registration_access_token as string, {
    ...base,
    client_id: clientId,
    token_endpoint_auth_method: 'none',
  });
}

describe.each(ADAPTERS)('secure defaults (%s)', (adapter) => {
  describe('with every default', () => {
    const { url } = dcrApp(adapter);

    it('registers no scope unless allowedScopes allows it', async () => {
      expectRefused(await register(url(), { ...base, scope: 'openid' }), 'scope');
    });

    it('treats an empty scope string as absent (MCP Inspector sends scope: "")', async () => {
      const res = await register(url(), { ...base, scope: '' });
      expect(res.status).toBe(201);
      expect(res.body).not.toHaveProperty('scope');
    });

    it.each([
      ['a 201-character client_name', { client_name: 'n'.repeat(201) }, 'client_name'],
      ['a 201-character client_name#ja', { 'client_name#ja': 'ナ'.repeat(201) }, 'client_name#ja'],
      [
        'a 2,001-character logo_uri',
        { logo_uri: `https://a.example/${'l'.repeat(1983)}` },
        'logo_uri',
      ],
      [
        '101 contacts',
        { contacts: Array.from({ length: 101 }, (_, i) => `c${i}@example.com`) },
        'contacts',
      ],
      ['a right-to-left override in client_name', { client_name: 'good\u202Eevil' }, 'client_name'],
      [
        'a zero-width space in client_name#en',
        { 'client_name#en': 'Pay\u200BPal' },
        'client_name#en',
      ],
      ['a first-strong isolate in a contact', { contacts: ['\u2068ops@example.com'] }, 'contacts'],
      ['a left-to-right mark in software_id', { software_id: 'app\u200E' }, 'software_id'],
    ])('refuses %s', async (_case, extra, member) => {
      expectRefused(await register(url(), { ...base, ...extra }), member);
    });

    it('refuses 101 redirect URIs and a 2,001-character redirect URI as invalid_redirect_uri', async () => {
      const many = Array.from({ length: 101 }, (_, i) => `https://app.example.com/cb${i}`);
      expectRefused(
        await register(url(), { redirect_uris: many }),
        'redirect_uris',
        'invalid_redirect_uri',
      );
      const long = [`https://app.example.com/${'p'.repeat(1977)}`];
      expect(long[0]).toHaveLength(2001);
      expectRefused(
        await register(url(), { redirect_uris: long }),
        'redirect_uris',
        'invalid_redirect_uri',
      );
    });

    it('accepts what sits exactly at each cap, and astral characters count once', async () => {
      const res = await register(url(), {
        redirect_uris: Array.from({ length: 100 }, (_, i) => `https://app.example.com/cb${i}`),
        client_name: '\u{1F680}'.repeat(200),
        logo_uri: `https://a.example/${'l'.repeat(1982)}`,
      });
      expect(res.status).toBe(201);
    });

    it('refuses an RFC 7592 update to token_endpoint_auth_method none', async () => {
      const created = await register(url(), base);
      expect(created.status).toBe(201);
      expect(created.body.token_endpoint_auth_method).toBe('client_secret_basic');
      const res = await updateToNone(url(), created);
      expectRefused(res, 'token_endpoint_auth_method');
    });

    it('refuses a software statement with neither exp nor iat, or with an old iat and no exp', async () => {
      for (const claims of [
        { exp: undefined, iat: undefined },
        { exp: undefined, iat: nowSeconds() - 2 * 86_400 },
      ]) {
        const statement = await signStatement(await key, { iss: ISSUER, ...claims });
        const res = await register(url(), { ...base, software_statement: statement });
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_software_statement');
      }
    });

    it("treats a statement's empty scope as absent: the body's scope stands", async () => {
      const statement = await signStatement(await key, { iss: ISSUER, scope: '' });
      const refused = await register(url(), {
        ...base,
        scope: 'openid',
        software_statement: statement,
      });
      expectRefused(refused, 'scope'); // the body's scope was judged, not dropped
      const ok = await register(url(), { ...base, software_statement: statement });
      expect(ok.status).toBe(201);
      expect(ok.body).not.toHaveProperty('scope');
    });

    it('accepts a software statement with a recent iat and no exp', async () => {
      const statement = await signStatement(await key, { iss: ISSUER, exp: undefined });
      const res = await register(url(), { ...base, software_statement: statement });
      expect(res.status).toBe(201);
    });
  });

  describe('with each default turned off', () => {
    const { url } = dcrApp(
      adapter,
      {
        allowedScopes: '*',
        allowAuthMethodNoneOnUpdate: true,
        metadataLimits: { nameLength: 500, arrayItems: 200 },
      },
      0,
    );

    it('registers any scope with allowedScopes: "*"', async () => {
      const res = await register(url(), { ...base, scope: 'anything at:all' });
      expect(res.status).toBe(201);
      expect(res.body.scope).toBe('anything at:all');
    });

    it('takes its caps from metadataLimits', async () => {
      expect((await register(url(), { ...base, client_name: 'n'.repeat(500) })).status).toBe(201);
      expectRefused(
        await register(url(), { ...base, client_name: 'n'.repeat(501) }),
        'client_name',
      );
      const contacts = Array.from({ length: 200 }, (_, i) => `c${i}@example.com`);
      expect((await register(url(), { ...base, contacts })).status).toBe(201);
    });

    it('accepts a software statement with neither exp nor iat (the old behaviour)', async () => {
      const statement = await signStatement(await key, {
        iss: ISSUER,
        exp: undefined,
        iat: undefined,
      });
      const res = await register(url(), { ...base, software_statement: statement });
      expect(res.status).toBe(201);
    });

    it('lets an update move a client to none with allowAuthMethodNoneOnUpdate', async () => {
      const created = await register(url(), base);
      const res = await updateToNone(url(), created);
      expect(res.status).toBe(200);
      expect(res.body.token_endpoint_auth_method).toBe('none');
      expect(res.body).not.toHaveProperty('client_secret');
    });
  });

  describe('allowedScopes and defaultScopes', () => {
    const { url } = dcrApp(adapter, {
      allowedScopes: ['openid', 'api'],
      defaultScopes: ['openid'],
    });

    it('registers the default scopes for an empty scope string, and only allowed scopes', async () => {
      const empty = await register(url(), { ...base, scope: '' });
      expect(empty.status).toBe(201);
      expect(empty.body.scope).toBe('openid');
      expect((await register(url(), { ...base, scope: 'api' })).body.scope).toBe('api');
      expectRefused(await register(url(), { ...base, scope: 'api admin' }), 'scope');
    });
  });
});
