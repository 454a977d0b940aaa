import { resolveDcrOptions } from '../dcr.options.js';
import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import {
  ASYMMETRIC_ALGORITHMS,
  resolveRegistrationAuthOptions,
  type RegistrationAuthOptions,
} from './registration-auth.options.js';

const dcr = resolveDcrOptions({ allowedScopes: ['openid', 'billing.read'] });
const resolve = (options?: RegistrationAuthOptions) => resolveRegistrationAuthOptions(options, dcr);
const bearer = { issuer: 'https://id.example.com' };

function expectOptionError(options: unknown, option: string): void {
  let error: unknown;
  try {
    resolve(options as RegistrationAuthOptions);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(DcrConfigurationError);
  expect((error as DcrConfigurationError).option).toBe(option);
}

describe('resolveRegistrationAuthOptions', () => {
  it('is protected by default: initial access tokens without bearer, bearer with it', () => {
    expect(resolve().mode).toBe('initial_access_token');
    expect(resolve({ bearer }).mode).toBe('bearer');
  });

  it('defaults the bearer checks', () => {
    expect(resolve({ bearer }).bearer).toEqual({
      issuer: 'https://id.example.com',
      audience: undefined,
      jwksUri: undefined,
      jwks: undefined,
      sharedSecret: undefined,
      algorithms: [...ASYMMETRIC_ALGORITHMS],
      requiredScope: 'dcr.register',
      clockToleranceSeconds: 30,
      jwksCooldownMs: 30_000,
      jwksMaxAgeMs: 600_000,
      httpTimeoutMs: 5000,
      verifiedTokenCacheSize: 1000,
    });
    expect(resolve({ bearer: { ...bearer, audience: 'api' } }).bearer?.audience).toEqual(['api']);
  });

  it('adds HS* only with a shared secret', () => {
    const sharedSecret = 'x'.repeat(32);
    expect(resolve({ bearer: { ...bearer, sharedSecret } }).bearer?.algorithms).toContain('HS256');
    expectOptionError(
      { bearer: { ...bearer, algorithms: ['HS256'] } },
      'registration.bearer.algorithms',
    );
    expectOptionError(
      { bearer: { ...bearer, sharedSecret: 'short' } },
      'registration.bearer.sharedSecret',
    );
  });

  it('refuses none and algorithms passport-jwt cannot verify', () => {
    for (const alg of ['none', 'EdDSA', 'RS1']) {
      expectOptionError(
        { bearer: { ...bearer, algorithms: [alg] } },
        'registration.bearer.algorithms',
      );
    }
  });

  it('rate limits open registration by default, and only it', () => {
    expect(resolve({ mode: 'open' }).rateLimit).toEqual({
      limit: 30,
      ttlMs: 60_000,
      storage: undefined,
    });
    expect(resolve({ mode: 'open', rateLimit: false }).rateLimit).toBeUndefined();
    expect(resolve({ rateLimit: { limit: 5 } }).rateLimit).toBeUndefined();
  });

  it.each([
    [{ mode: 'closed' }, 'registration.mode'],
    [{ mode: 'bearer' }, 'registration.bearer'],
    [{ mode: 'bearer_or_initial_access_token' }, 'registration.bearer'],
    [{ bearer: { issuer: 'http://id.example.com' } }, 'registration.bearer.issuer'],
    [{ bearer: { issuer: 'not a url' } }, 'registration.bearer.issuer'],
    [
      { bearer: { ...bearer, jwksUri: 'ftp://id.example.com/jwks' } },
      'registration.bearer.jwksUri',
    ],
    [
      { bearer: { ...bearer, jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } } },
      'registration.bearer.jwks',
    ],
    [{ bearer: { ...bearer, audience: [] } }, 'registration.bearer.audience'],
    [{ bearer: { ...bearer, requiredScope: 'two scopes' } }, 'registration.bearer.requiredScope'],
    [
      { bearer: { ...bearer, clockToleranceSeconds: -1 } },
      'registration.bearer.clockToleranceSeconds',
    ],
    [{ bearer: { ...bearer, jwksCooldownSeconds: 0 } }, 'registration.bearer.jwksCooldownSeconds'],
    [{ realm: 'a"b' }, 'registration.realm'],
    [{ mode: 'open', rateLimit: { limit: 0 } }, 'registration.rateLimit.limit'],
    [{ mode: 'open', rateLimit: { storage: {} } }, 'registration.rateLimit.storage'],
    [
      { mode: 'open', anonymousPolicy: { grantTypes: ['password'] } },
      'registration.anonymousPolicy.grantTypes',
    ],
    [
      { mode: 'open', anonymousPolicy: { scopes: ['admin'] } },
      'registration.anonymousPolicy.scopes',
    ],
    ['open', 'registration'],
  ])('refuses %j naming %s', (options, option) => {
    expectOptionError(options, option);
  });

  it('allows http issuers on loopback only', () => {
    expect(resolve({ bearer: { issuer: 'http://127.0.0.1:8080' } }).bearer?.issuer).toBe(
      'http://127.0.0.1:8080',
    );
  });
});
