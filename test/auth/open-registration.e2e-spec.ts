import type { INestApplication } from '@nestjs/common';
import { InMemoryThrottlerStorage } from '../../lib/auth/in-memory-throttler-storage.js';
import { InitialAccessTokenService } from '../../lib/auth/initial-access-token.service.js';
import type { RegistrationAuthOptions } from '../../lib/auth/registration-auth.options.js';
import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS, baseUrl, startApp, type AdapterName } from '../support/adapters.js';
import { RecordingValidator } from '../support/recording-validator.js';
import { registerAs } from '../support/registration-client.js';
import { TestIssuer } from '../support/test-issuer.js';
import { useDcrApp } from '../support/suite-app.js';

function dcrModule(registration: RegistrationAuthOptions) {
  // Scopes are refused unless allowed (a secure default): the anonymous policy names openid.
  return DcrModule.forRoot({
    registration,
    validator: RecordingValidator,
    allowedScopes: ['openid'],
  });
}

async function boot(
  adapter: AdapterName,
  registration: RegistrationAuthOptions,
): Promise<{ app: INestApplication; url: string }> {
  const app = await startApp(adapter, dcrModule(registration));
  return { app, url: (await baseUrl(app)) + '/connect/dcr' };
}

describe.each(ADAPTERS)('open registration (%s)', (adapter) => {
  const anonymousPolicy = { grantTypes: ['authorization_code'], scopes: ['openid'] };
  const { app, url } = useDcrApp(adapter, () =>
    dcrModule({ mode: 'open', rateLimit: { limit: 3, ttlSeconds: 60 }, anonymousPolicy }),
  );

  it('registers anonymous callers under the anonymous policy', async () => {
    const res = await registerAs(url());
    expect(res.status).toBe(201);
    expect(RecordingValidator.callers.at(-1)).toEqual({
      kind: 'anonymous',
      scopes: [],
      claims: {},
      policy: anonymousPolicy,
    });
  });

  it('still judges a presented token', async () => {
    const garbage = await registerAs(url(), 'Bearer not-a-token');
    expect(garbage.status).toBe(401);
    expect(garbage.body.error).toBe('invalid_token');
    const { token } = await app().get(InitialAccessTokenService).mint();
    expect((await registerAs(url(), `Bearer ${token}`)).status).toBe(201);
    expect(RecordingValidator.callers.at(-1)?.kind).toBe('initial_access_token');
  });

  it('answers 429 with Retry-After once an address is over the limit', async () => {
    // The limit (3) counts every request from this address: the 3 above spent it.
    const res = await registerAs(url());
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      error: 'too_many_requests',
      error_description: expect.any(String),
    });
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await registerAs(url())).status).toBe(429);
  });
});

describe('open registration across instances', () => {
  it('shares the count through one ThrottlerStorage', async () => {
    const storage = new InMemoryThrottlerStorage();
    const registration: RegistrationAuthOptions = {
      mode: 'open',
      rateLimit: { limit: 3, ttlSeconds: 60, storage },
    };
    const first = await boot('express', registration);
    const second = await boot('fastify', registration);
    try {
      expect((await registerAs(first.url)).status).toBe(201);
      expect((await registerAs(second.url)).status).toBe(201);
      expect((await registerAs(first.url)).status).toBe(201);
      expect((await registerAs(second.url)).status).toBe(429);
    } finally {
      await first.app.close();
      await second.app.close();
    }
  });

  it('does not limit when rateLimit is false', async () => {
    const { app, url } = await boot('fastify', { mode: 'open', rateLimit: false });
    try {
      const results = await Promise.all(Array.from({ length: 40 }, () => registerAs(url)));
      expect(results.every((res) => res.status === 201)).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('computes the anonymous policy per request with a hook', async () => {
    const { app, url } = await boot('express', {
      mode: 'open',
      anonymousPolicy: (request) =>
        (request as { headers: Record<string, string> }).headers['x-partner'] === 'yes'
          ? undefined
          : { grantTypes: ['authorization_code'] },
    });
    try {
      expect((await registerAs(url)).status).toBe(201);
      expect(RecordingValidator.callers.at(-1)?.policy).toEqual({
        grantTypes: ['authorization_code'],
      });
    } finally {
      await app.close();
    }
  });
});

describe.each(ADAPTERS)('bearer or initial access token (%s)', (adapter) => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  const { app, url } = useDcrApp(adapter, () =>
    dcrModule({ mode: 'bearer_or_initial_access_token', bearer: { issuer: issuer.url } }),
  );
  afterAll(() => issuer.close());

  it('accepts either credential and refuses neither', async () => {
    expect((await registerAs(url(), `Bearer ${await issuer.sign()}`)).status).toBe(201);
    expect(RecordingValidator.callers.at(-1)?.kind).toBe('bearer');
    const { token } = await app().get(InitialAccessTokenService).mint();
    expect((await registerAs(url(), `Bearer ${token}`)).status).toBe(201);
    expect(RecordingValidator.callers.at(-1)?.kind).toBe('initial_access_token');
    expect((await registerAs(url())).status).toBe(401);
    expect((await registerAs(url(), `Bearer ${issuer.unsigned()}`)).status).toBe(401);
    expect((await registerAs(url(), `Bearer ${token}`)).status).toBe(401);
  });
});
