import type { INestApplication } from '@nestjs/common';
import { DcrModule } from '../../lib/dcr.module.js';
import type { BearerAuthOptions } from '../../lib/auth/registration-auth.options.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { registerAs } from '../support/registration-client.js';
import { TestIssuer } from '../support/test-issuer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ADAPTERS)('JWKS resolution (%s)', (adapter) => {
  let issuer: TestIssuer;
  let app: INestApplication | undefined;

  async function boot(bearer: Partial<BearerAuthOptions> = {}): Promise<string> {
    app = await startApp(
      adapter,
      DcrModule.forRoot({ registration: { bearer: { issuer: issuer.url, ...bearer } } }),
    );
    return (await baseUrl(app)) + '/connect/dcr';
  }

  beforeEach(async () => {
    issuer = await TestIssuer.start();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await issuer.close();
  });

  const randomKid = () => issuer.sign(undefined, { kid: crypto.randomUUID() });

  it('discovers the JWKS once and reuses it for every token', async () => {
    const url = await boot();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => issuer.sign()));
    const results = await Promise.all(tokens.map((token) => registerAs(url, `Bearer ${token}`)));
    expect(results.every((res) => res.status === 201)).toBe(true);
    for (const token of tokens.slice(0, 5)) {
      expect((await registerAs(url, `Bearer ${token}`)).status).toBe(201);
    }
    expect(issuer.metadataFetches).toBe(1);
    expect(issuer.jwksFetches).toBe(1);
  });

  it('does not refetch for a flood of unknown kids within the cool-down', async () => {
    const url = await boot();
    expect((await registerAs(url, `Bearer ${await issuer.sign()}`)).status).toBe(201);
    const flood = await Promise.all(Array.from({ length: 50 }, randomKid));
    const results = await Promise.all(flood.map((token) => registerAs(url, `Bearer ${token}`)));
    expect(results.every((res) => res.status === 401)).toBe(true);
    expect(issuer.jwksFetches).toBe(1);
  });

  it('refetches once for a flood after the cool-down, picking up a rotated key', async () => {
    const url = await boot({ jwksCooldownSeconds: 2 });
    expect((await registerAs(url, `Bearer ${await issuer.sign()}`)).status).toBe(201);
    await sleep(2100);
    const rotated = await issuer.addKey('RS256');
    const flood = await Promise.all(Array.from({ length: 20 }, randomKid));
    const fresh = await Promise.all([1, 2, 3].map(() => issuer.sign(undefined, { key: rotated })));
    const results = await Promise.all(
      [...flood, ...fresh].map((token) => registerAs(url, `Bearer ${token}`)),
    );
    expect(results.slice(0, 20).every((res) => res.status === 401)).toBe(true);
    expect(results.slice(20).map((res) => res.status)).toEqual([201, 201, 201]);
    expect(issuer.jwksFetches).toBe(2);
  });

  it('answers 503 while the JWKS cannot be fetched, and cools down on failures too', async () => {
    const url = await boot();
    issuer.failJwks = true;
    const tokens = await Promise.all(Array.from({ length: 10 }, () => issuer.sign()));
    const results = await Promise.all(tokens.map((token) => registerAs(url, `Bearer ${token}`)));
    for (const res of results) {
      expect(res.status).toBe(503);
      expect(res.body.error).toBe('temporarily_unavailable');
      expect(res.headers.get('retry-after')).toBe('5');
    }
    issuer.failJwks = false;
    expect((await registerAs(url, `Bearer ${tokens[0]}`)).status).toBe(503);
    expect(issuer.jwksFetches).toBe(1);
  });

  it('uses a configured jwksUri without discovery', async () => {
    const url = await boot({ jwksUri: `${issuer.url}/jwks` });
    expect((await registerAs(url, `Bearer ${await issuer.sign()}`)).status).toBe(201);
    expect(issuer.metadataFetches).toBe(0);
    expect(issuer.jwksFetches).toBe(1);
  });

  it('uses static keys without fetching anything', async () => {
    const url = await boot({ jwks: issuer.jwks() });
    expect((await registerAs(url, `Bearer ${await issuer.sign()}`)).status).toBe(201);
    expect((await registerAs(url, `Bearer ${await randomKid()}`)).status).toBe(401);
    expect(issuer.metadataFetches + issuer.jwksFetches).toBe(0);
  });

  it('accepts HS256 only with the configured shared secret', async () => {
    const secret = 'a-shared-secret-of-at-least-32-bytes!';
    const url = await boot({ jwks: issuer.jwks(), sharedSecret: secret });
    expect((await registerAs(url, `Bearer ${issuer.hmac(secret)}`)).status).toBe(201);
    expect((await registerAs(url, `Bearer ${issuer.hmac(secret + 'x')}`)).status).toBe(401);
    expect((await registerAs(url, `Bearer ${issuer.hmacWithPublicKey()}`)).status).toBe(401);
  });
});

describe('issuer metadata discovery', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function boot(issuer: TestIssuer): Promise<string> {
    app = await startApp(
      'fastify',
      DcrModule.forRoot({ registration: { bearer: { issuer: issuer.url } } }),
    );
    return (await baseUrl(app)) + '/connect/dcr';
  }

  it('falls back to RFC 8414 metadata for an issuer with a path', async () => {
    const issuer = await TestIssuer.start('/tenant-a');
    issuer.oauthMetadataOnly = true;
    try {
      const url = await boot(issuer);
      expect((await registerAs(url, `Bearer ${await issuer.sign()}`)).status).toBe(201);
      expect(issuer.metadataFetches).toBe(2);
    } finally {
      await issuer.close();
    }
  });

  it('refuses metadata that names another issuer', async () => {
    const issuer = await TestIssuer.start();
    issuer.metadataIssuer = 'https://impostor.example';
    try {
      const url = await boot(issuer);
      expect((await registerAs(url, `Bearer ${await issuer.sign()}`)).status).toBe(503);
      expect(issuer.jwksFetches).toBe(0);
    } finally {
      await issuer.close();
    }
  });
});
