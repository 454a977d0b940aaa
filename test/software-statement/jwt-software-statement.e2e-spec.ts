import { CompactEncrypt, generateSecret, SignJWT, UnsecuredJWT } from 'jose';
import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import { startJwksServer, type JwksServer } from './jwks-server.js';
import { register } from '../support/register.js';
import { generateSigningKey, nowSeconds, signStatement, type SigningKey } from './signing-keys.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

const DIRECTORY = 'https://directory.example';
const INLINE_ISSUER = 'https://inline.example';
const MAX_AGE = 3600;

/** What the client sends beside its statement; the statement's claims must win. */
const BODY = {
  client_name: 'Name from the body',
  redirect_uris: ['https://body.example/cb'],
  software_id: 'body-software-id',
};

/** The client metadata the directory vouches for. */
const CLAIMS = {
  iss: DIRECTORY,
  software_id: 'com.example.app',
  software_version: '2.1.0',
  client_name: 'Name from the statement',
  redirect_uris: ['https://app.example/cb'],
};

describe.each(ADAPTERS)('JWT software statements (%s)', (adapter) => {
  let rsaKey: SigningKey;
  let ecKey: SigningKey;
  let edKey: SigningKey;
  let jwks: JwksServer;
  beforeAll(async () => {
    [rsaKey, ecKey, edKey] = await Promise.all([
      generateSigningKey('RS256', 'directory-rsa'),
      generateSigningKey('ES256', 'directory-ec'),
      generateSigningKey('EdDSA', 'inline-ed'),
    ]);
    jwks = await startJwksServer([rsaKey.publicJwk, ecKey.publicJwk]);
  });
  const { url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      registration: OPEN_REGISTRATION,
      softwareStatements: {
        issuers: [
          { issuer: DIRECTORY, jwksUri: jwks.jwksUri },
          { issuer: INLINE_ISSUER, keys: [edKey.publicJwk] },
        ],
        maxAgeSeconds: MAX_AGE,
        replayProtection: true,
      },
    }),
  );
  afterAll(() => jwks.close());

  const rejects = async (statement: unknown, error: string, description: RegExp): Promise<void> => {
    const res = await register(url(), { ...BODY, software_statement: statement });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(error);
    expect(res.body.error_description).toMatch(description);
  };

  it.each([
    ['RS256', () => rsaKey],
    ['ES256', () => ecKey],
  ])(
    'applies a valid %s statement: its claims override the body, and it is echoed',
    async (_alg, key) => {
      const statement = await signStatement(key(), CLAIMS);
      const res = await register(url(), { ...BODY, software_statement: statement });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        client_name: CLAIMS.client_name,
        redirect_uris: CLAIMS.redirect_uris,
        software_id: CLAIMS.software_id,
        software_version: CLAIMS.software_version,
        software_statement: statement,
      });
      expect(res.body.iss).toBeUndefined();
      expect(res.body.jti).toBeUndefined();
    },
  );

  it('verifies statements of an issuer configured with inline keys (EdDSA)', async () => {
    const statement = await signStatement(edKey, { ...CLAIMS, iss: INLINE_ISSUER });
    const res = await register(url(), { ...BODY, software_statement: statement });
    expect(res.status).toBe(201);
    expect(res.body.client_name).toBe(CLAIMS.client_name);
    expect(res.body.software_statement).toBe(statement);
  });

  it('refuses a statement whose signature does not verify', async () => {
    const forger = await generateSigningKey('RS256', rsaKey.kid);
    await rejects(
      await signStatement(forger, CLAIMS),
      'invalid_software_statement',
      /signature that does not verify/,
    );
    const [header, , signature] = (await signStatement(rsaKey, CLAIMS)).split('.');
    const tampered = Buffer.from(JSON.stringify({ ...CLAIMS, client_name: 'x' })).toString(
      'base64url',
    );
    await rejects(
      `${header}.${tampered}.${signature}`,
      'invalid_software_statement',
      /signature that does not verify/,
    );
  });

  it('refuses a statement signed with a key the issuer does not publish', async () => {
    const stranger = await generateSigningKey('ES256', 'not-published');
    await rejects(
      await signStatement(stranger, CLAIMS),
      'invalid_software_statement',
      /key the issuer doesn't publish/,
    );
  });

  it('answers unapproved_software_statement for an issuer that is not trusted', async () => {
    await rejects(
      await signStatement(rsaKey, { ...CLAIMS, iss: 'https://rogue.example' }),
      'unapproved_software_statement',
      /not approved/,
    );
  });

  it('refuses an expired statement', async () => {
    const now = nowSeconds();
    await rejects(
      await signStatement(rsaKey, { ...CLAIMS, iat: now - 600, exp: now - 120 }),
      'invalid_software_statement',
      /expired/,
    );
  });

  it('refuses a statement that is not valid yet', async () => {
    await rejects(
      await signStatement(rsaKey, { ...CLAIMS, nbf: nowSeconds() + 600 }),
      'invalid_software_statement',
      /not valid yet/,
    );
  });

  it('refuses a statement issued longer ago than maxAgeSeconds', async () => {
    const now = nowSeconds();
    await rejects(
      await signStatement(rsaKey, { ...CLAIMS, iat: now - 2 * MAX_AGE, exp: now + 3600 }),
      'invalid_software_statement',
      /too old/,
    );
  });

  it('refuses an unsecured (alg none) statement', async () => {
    const unsecured = new UnsecuredJWT({ ...CLAIMS, jti: 'none-1' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    await rejects(unsecured, 'invalid_software_statement', /algorithm that is not accepted/);
  });

  it('refuses a statement signed with a shared secret (HS256)', async () => {
    const secret = await generateSecret('HS256');
    const hmac = await new SignJWT({ ...CLAIMS, jti: 'hs-1' })
      .setProtectedHeader({ alg: 'HS256', kid: rsaKey.kid })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);
    await rejects(hmac, 'invalid_software_statement', /algorithm that is not accepted/);
  });

  it.each([
    ['a word', 'garbage'],
    ['three dots of garbage', 'a.b.c'],
    ['a number', 42],
    ['null', null],
    ['an object', { iss: DIRECTORY }],
  ])('refuses %s as a statement', async (_what, statement) => {
    await rejects(statement, 'invalid_software_statement', /not a signed JWT|must be a string/);
  });

  it('refuses an encrypted JWT (JWE) as a statement', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(CLAIMS)))
      .setProtectedHeader({ alg: 'dir', enc: 'A128GCM' })
      .encrypt(await generateSecret('A128GCM'));
    await rejects(jwe, 'invalid_software_statement', /not a signed JWT/);
  });

  it('accepts a statement once when replay protection is on', async () => {
    const statement = await signStatement(ecKey, CLAIMS);
    const first = await register(url(), { ...BODY, software_statement: statement });
    expect(first.status).toBe(201);
    await rejects(statement, 'invalid_software_statement', /already used/);
  });

  it('refuses a statement without jti when replay protection is on', async () => {
    await rejects(
      await signStatement(rsaKey, { ...CLAIMS, jti: undefined }),
      'invalid_software_statement',
      /"jti"/,
    );
  });

  it('registers without a statement when statements are not required', async () => {
    const res = await register(url(), BODY);
    expect(res.status).toBe(201);
    expect(res.body.client_name).toBe(BODY.client_name);
    expect(res.body.software_statement).toBeUndefined();
  });

  it('fetched the JWKS once across every registration', async () => {
    for (const key of [rsaKey, ecKey, rsaKey]) {
      const res = await register(url(), { software_statement: await signStatement(key, CLAIMS) });
      expect(res.status).toBe(201);
    }
    expect(jwks.fetches).toBe(1);
  });
});
