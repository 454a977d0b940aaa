import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import { ASYMMETRIC_JWS_ALGORITHMS } from '../keys/jws-algorithms.js';
import { resolveSoftwareStatementOptions } from './software-statement.options.js';

const ISSUER = { issuer: 'https://directory.example', jwksUri: 'https://directory.example/jwks' };
const EC_PUBLIC_KEY = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' };

function problemWith(value: unknown): string {
  try {
    resolveSoftwareStatementOptions(value);
  } catch (error) {
    expect(error).toBeInstanceOf(DcrConfigurationError);
    return (error as DcrConfigurationError).option;
  }
  throw new Error('resolved without complaint');
}

describe('resolveSoftwareStatementOptions', () => {
  it('is undefined when unset: statements are then ignored', () => {
    expect(resolveSoftwareStatementOptions(undefined)).toBeUndefined();
  });

  it('applies the defaults', () => {
    const resolved = resolveSoftwareStatementOptions({ issuers: [ISSUER] });
    expect(resolved).toEqual({
      issuers: new Map([
        [ISSUER.issuer, { issuer: ISSUER.issuer, jwksUri: new URL(ISSUER.jwksUri) }],
      ]),
      algorithms: [...ASYMMETRIC_JWS_ALGORITHMS],
      clockToleranceSeconds: 30,
      maxAgeSeconds: undefined,
      maxAgeWithoutExpSeconds: 86400,
      required: false,
      replayProtection: false,
      jwksCooldownSeconds: 30,
      jwksCacheMaxAgeSeconds: 600,
      jwksTimeoutMs: 5000,
    });
  });

  it('keeps inline public keys and the values given', () => {
    const resolved = resolveSoftwareStatementOptions({
      issuers: [{ issuer: 'a', keys: [EC_PUBLIC_KEY] }],
      algorithms: ['ES256'],
      clockToleranceSeconds: 0,
      maxAgeSeconds: 60,
      required: true,
      replayProtection: true,
    });
    expect(resolved?.issuers.get('a')?.keys).toEqual([EC_PUBLIC_KEY]);
    expect(resolved).toMatchObject({
      algorithms: ['ES256'],
      clockToleranceSeconds: 0,
      maxAgeSeconds: 60,
      required: true,
      replayProtection: true,
    });
  });

  it('accepts http only on a loopback host', () => {
    const loopback = { issuer: 'a', jwksUri: 'http://127.0.0.1:8080/jwks' };
    expect(resolveSoftwareStatementOptions({ issuers: [loopback] })).toBeDefined();
  });

  it.each([
    ['softwareStatements', 'x'],
    ['softwareStatements.issuers', {}],
    ['softwareStatements.issuers', { issuers: [] }],
    ['softwareStatements.issuers[0]', { issuers: ['x'] }],
    ['softwareStatements.issuers[0].issuer', { issuers: [{ jwksUri: ISSUER.jwksUri }] }],
    ['softwareStatements.issuers[0]', { issuers: [{ issuer: 'a' }] }],
    ['softwareStatements.issuers[0]', { issuers: [{ ...ISSUER, keys: [EC_PUBLIC_KEY] }] }],
    [
      'softwareStatements.issuers[0].jwksUri',
      { issuers: [{ issuer: 'a', jwksUri: 'http://directory.example/jwks' }] },
    ],
    ['softwareStatements.issuers[0].jwksUri', { issuers: [{ issuer: 'a', jwksUri: 'jwks' }] }],
    ['softwareStatements.issuers[0].keys', { issuers: [{ issuer: 'a', keys: [] }] }],
    ['softwareStatements.issuers[0].keys[0]', { issuers: [{ issuer: 'a', keys: [{}] }] }],
    [
      'softwareStatements.issuers[0].keys[0]',
      { issuers: [{ issuer: 'a', keys: [{ ...EC_PUBLIC_KEY, d: 'private' }] }] },
    ],
    [
      'softwareStatements.issuers[0].keys[0]',
      { issuers: [{ issuer: 'a', keys: [{ kty: 'oct', k: 'secret' }] }] },
    ],
    ['softwareStatements.issuers[1].issuer', { issuers: [ISSUER, ISSUER] }],
    ['softwareStatements.algorithms', { issuers: [ISSUER], algorithms: [] }],
    ['softwareStatements.algorithms', { issuers: [ISSUER], algorithms: ['HS256'] }],
    ['softwareStatements.algorithms', { issuers: [ISSUER], algorithms: ['none'] }],
    ['softwareStatements.clockToleranceSeconds', { issuers: [ISSUER], clockToleranceSeconds: -1 }],
    ['softwareStatements.maxAgeSeconds', { issuers: [ISSUER], maxAgeSeconds: 0 }],
    ['softwareStatements.maxAgeSeconds', { issuers: [ISSUER], maxAgeSeconds: 1.5 }],
    ['softwareStatements.required', { issuers: [ISSUER], required: 'yes' }],
    ['softwareStatements.replayProtection', { issuers: [ISSUER], replayProtection: 1 }],
    ['softwareStatements.jwksCooldownSeconds', { issuers: [ISSUER], jwksCooldownSeconds: -5 }],
    ['softwareStatements.jwksCacheMaxAgeSeconds', { issuers: [ISSUER], jwksCacheMaxAgeSeconds: 0 }],
    ['softwareStatements.jwksTimeoutMs', { issuers: [ISSUER], jwksTimeoutMs: '5s' }],
  ])('names %s when given %j', (option, value) => {
    expect(problemWith(value)).toBe(option);
  });
});
