import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import { RecordingValidator } from '../support/recording-validator.js';
import { registerAs } from '../support/registration-client.js';
import { TestIssuer } from '../support/test-issuer.js';

const AUDIENCE = 'https://dcr.example';

describe.each(ADAPTERS)('bearer-protected registration (%s)', (adapter) => {
  let issuer: TestIssuer;
  const now = () => Math.floor(Date.now() / 1000);
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    await issuer.addKey('ES256');
  });
  const { url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      registration: { bearer: { issuer: issuer.url, audience: AUDIENCE } },
      validator: RecordingValidator,
    }),
  );
  afterAll(() => issuer.close());

  const expectInvalidToken = (res: Awaited<ReturnType<typeof registerAs>>) => {
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="dcr", error="invalid_token", error_description="[^"]+"$/,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
  };

  it('registers with a valid token and hands the caller to the pipeline', async () => {
    const res = await registerAs(url(), `Bearer ${await issuer.sign()}`);
    expect(res.status).toBe(201);
    expect(res.body.client_id).toEqual(expect.any(String));
    expect(RecordingValidator.callers.at(-1)).toMatchObject({
      kind: 'bearer',
      subject: 'ci-pipeline',
      clientId: 'ci-pipeline',
      scopes: ['dcr.register'],
      claims: expect.objectContaining({ iss: issuer.url, aud: AUDIENCE }),
    });
  });

  it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
    const res = await registerAs(url());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="dcr"');
    expect(res.body).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
  });

  it('ignores other schemes (Basic is not a bearer token)', async () => {
    const res = await registerAs(url(), 'Basic Y2k6c2VjcmV0');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="dcr"');
  });

  it('refuses garbage', async () => {
    expectInvalidToken(await registerAs(url(), 'Bearer not-a-jwt'));
    expectInvalidToken(await registerAs(url(), 'Bearer a.b.c'));
    expectInvalidToken(await registerAs(url(), 'Bearer "quoted"'));
  });

  it('refuses an expired token', async () => {
    const token = await issuer.sign(issuer.claims({ iat: now() - 7200, exp: now() - 3600 }));
    const res = await registerAs(url(), `Bearer ${token}`);
    expectInvalidToken(res);
    expect(res.body.error_description).toBe('the access token has expired');
  });

  it('refuses a token whose nbf is in the future', async () => {
    const token = await issuer.sign(issuer.claims({ nbf: now() + 3600 }));
    const res = await registerAs(url(), `Bearer ${token}`);
    expectInvalidToken(res);
    expect(res.body.error_description).toBe('the access token is not valid yet');
  });

  it('refuses a token without exp', async () => {
    const claims = issuer.claims();
    delete claims.exp;
    expectInvalidToken(await registerAs(url(), `Bearer ${await issuer.sign(claims)}`));
  });

  it('refuses another issuer', async () => {
    const token = await issuer.sign(issuer.claims({ iss: 'https://evil.example' }));
    expectInvalidToken(await registerAs(url(), `Bearer ${token}`));
  });

  it('refuses another audience', async () => {
    const token = await issuer.sign(issuer.claims({ aud: 'https://other.example' }));
    expectInvalidToken(await registerAs(url(), `Bearer ${token}`));
  });

  it('refuses an unknown kid and a key the issuer does not publish', async () => {
    expectInvalidToken(
      await registerAs(url(), `Bearer ${await issuer.sign(undefined, { kid: 'nope' })}`),
    );
    const stray = await issuer.strayKey();
    const res = await registerAs(url(), `Bearer ${await issuer.sign(undefined, { key: stray })}`);
    expectInvalidToken(res);
    expect(res.body.error_description).toMatch(/unknown key/);
  });

  it('refuses alg none', async () => {
    expectInvalidToken(await registerAs(url(), `Bearer ${issuer.unsigned()}`));
  });

  it('refuses HS256 signed with the RSA public key (algorithm confusion)', async () => {
    expectInvalidToken(await registerAs(url(), `Bearer ${issuer.hmacWithPublicKey()}`));
  });

  it('refuses a token whose kid names a key of another type', async () => {
    const es256 = issuer.keys.find((key) => key.alg === 'ES256');
    const token = await issuer.sign(undefined, { key: es256, kid: issuer.keys[0]!.kid });
    expectInvalidToken(await registerAs(url(), `Bearer ${token}`));
  });

  it('refuses a token that is not an access token (typ)', async () => {
    const token = await issuer.sign(undefined, { typ: 'logout+jwt' });
    expectInvalidToken(await registerAs(url(), `Bearer ${token}`));
  });

  it('accepts typ JWT and an ES256 key', async () => {
    expect(
      (await registerAs(url(), `Bearer ${await issuer.sign(undefined, { typ: 'JWT' })}`)).status,
    ).toBe(201);
    const es256 = issuer.keys.find((key) => key.alg === 'ES256');
    expect(
      (await registerAs(url(), `Bearer ${await issuer.sign(undefined, { key: es256 })}`)).status,
    ).toBe(201);
  });

  it('answers 403 insufficient_scope naming the scope when it is missing', async () => {
    const token = await issuer.sign(issuer.claims({ scope: 'openid profile' }));
    const res = await registerAs(url(), `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: 'insufficient_scope',
      error_description: expect.any(String),
    });
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="dcr", error="insufficient_scope", scope="dcr.register"',
    );
  });

  it('does not take a scope that merely contains the required one', async () => {
    const token = await issuer.sign(issuer.claims({ scope: 'dcr.register.read xdcr.register' }));
    expect((await registerAs(url(), `Bearer ${token}`)).status).toBe(403);
  });

  it('finds the scope among several', async () => {
    const token = await issuer.sign(issuer.claims({ scope: 'openid dcr.register profile' }));
    const res = await registerAs(url(), `Bearer ${token}`);
    expect(res.status).toBe(201);
    expect(RecordingValidator.callers.at(-1)?.scopes).toEqual([
      'openid',
      'dcr.register',
      'profile',
    ]);
  });

  it('finds the scope in an scp array', async () => {
    const claims = issuer.claims({ scp: ['read', 'dcr.register'] });
    delete claims.scope;
    expect((await registerAs(url(), `Bearer ${await issuer.sign(claims)}`)).status).toBe(201);
  });

  it('never reads the token from the query string or the body', async () => {
    const token = await issuer.sign();
    const inQuery = await fetch(`${url()}?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['https://app.example.com/cb'] }),
    });
    expect(inQuery.status).toBe(401);
    expect(inQuery.headers.get('www-authenticate')).toBe('Bearer realm="dcr"');
    const inBody = await registerAs(url(), undefined, {
      redirect_uris: ['https://app.example.com/cb'],
      access_token: token,
    });
    expect(inBody.status).toBe(401);
  });

  it('accepts the scheme in any case', async () => {
    const token = await issuer.sign();
    expect((await registerAs(url(), `bearer ${token}`)).status).toBe(201);
    expect((await registerAs(url(), `BEARER ${await issuer.sign()}`)).status).toBe(201);
  });

  it('accepts a repeated token (served from the verified-token cache) until it expires', async () => {
    const token = await issuer.sign();
    const results = await Promise.all([1, 2, 3].map(() => registerAs(url(), `Bearer ${token}`)));
    expect(results.map((res) => res.status)).toEqual([201, 201, 201]);
    // A cached token still needs the scope: the cache holds the caller, not the verdict.
    const noScope = await issuer.sign(issuer.claims({ scope: 'openid' }));
    expect((await registerAs(url(), `Bearer ${noScope}`)).status).toBe(403);
    expect((await registerAs(url(), `Bearer ${noScope}`)).status).toBe(403);
  });
});
