import type { ThrottlerStorage } from '@nestjs/throttler';
import type { JWK } from 'jose';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import type { RegistrationPolicy } from '../registration/registration-policy.js';
import { checkRegistrationPolicy } from './registration-policy.check.js';
import { checkIssuerUrl } from '../keys/issuer-url.js';
import { RSA_EC_JWS_ALGORITHMS } from '../keys/jws-algorithms.js';

/**
 * Who may call the registration endpoint:
 * - `bearer`: a JWT access token from the trusted issuer carrying the registration scope;
 * - `initial_access_token`: an RFC 7591 §3 initial access token minted by InitialAccessTokenService;
 * - `bearer_or_initial_access_token`: either of them;
 * - `open`: anyone (rate limited per client address); a token that is presented must still be valid.
 */
export type RegistrationAuthMode =
  'bearer' | 'initial_access_token' | 'bearer_or_initial_access_token' | 'open';

export const REGISTRATION_AUTH_MODES: readonly RegistrationAuthMode[] = [
  'bearer',
  'initial_access_token',
  'bearer_or_initial_access_token',
  'open',
];

/** Asymmetric algorithms passport-jwt (jsonwebtoken) verifies; EdDSA is not among them. */
export const ASYMMETRIC_ALGORITHMS = RSA_EC_JWS_ALGORITHMS;
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

/** JWT access tokens from a trusted authorization server (RFC 9068). */
export interface BearerAuthOptions {
  /** The issuer: the token's `iss` must equal it; its metadata locates the JWKS unless `jwksUri` or `jwks` is given. */
  issuer: string;
  /** Expected `aud` (any of them); unset: `aud` is not checked. */
  audience?: string | string[];
  /** The issuer's JWKS URL; default: `jwks_uri` from `/.well-known/openid-configuration` or `/.well-known/oauth-authorization-server`. */
  jwksUri?: string;
  /** Static public keys instead of a remote JWKS. */
  jwks?: { keys: JWK[] };
  /** A shared secret (at least 32 bytes): only then are HS256/384/512 accepted. */
  sharedSecret?: string;
  /** Accepted `alg` values. Default: RS*, PS*, ES* (plus HS* when `sharedSecret` is set). `none` never. */
  algorithms?: string[];
  /** The scope a token must grant. Default `dcr.register`. */
  requiredScope?: string;
  /** Leeway for `exp` / `nbf` in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** An unknown `kid` refetches the JWKS at most once per this many seconds. Default 30. */
  jwksCooldownSeconds?: number;
  /** The JWKS is refetched (in the background) when older than this. Default 600. */
  jwksMaxAgeSeconds?: number;
  /** Timeout of a metadata or JWKS fetch in milliseconds. Default 5000. */
  httpTimeoutMs?: number;
  /** How many verified tokens to remember until they expire (0 = none). Default 1000. */
  verifiedTokenCacheSize?: number;
}

/** The per-client-address limit of open registration. */
export interface RegistrationRateLimitOptions {
  /** Requests allowed per window. Default 30. */
  limit?: number;
  /** Window length in seconds. Default 60. */
  ttlSeconds?: number;
  /** Where hits are counted; share one (e.g. Redis-backed) between instances. Default: in memory. */
  storage?: ThrottlerStorage;
}

/** Limits for anonymous callers: fixed, or chosen per request. */
export type AnonymousPolicy =
  | RegistrationPolicy
  | ((request: object) => RegistrationPolicy | undefined | Promise<RegistrationPolicy | undefined>);

/** `registration` in the module options: how the endpoint is protected. */
export interface RegistrationAuthOptions {
  /** Default: `bearer` when `bearer` is set, otherwise `initial_access_token`. Open registration is opt-in. */
  mode?: RegistrationAuthMode;
  /** The realm named in WWW-Authenticate. Default `dcr`. */
  realm?: string;
  /** Required for the bearer modes. */
  bearer?: BearerAuthOptions;
  /** Open mode only. `false` turns the limit off. */
  rateLimit?: RegistrationRateLimitOptions | false;
  /** Open mode only: limits for anonymous callers, enforced by the metadata validator. */
  anonymousPolicy?: AnonymousPolicy;
}

export interface ResolvedBearerOptions {
  issuer: string;
  audience?: string[];
  jwksUri?: URL;
  jwks?: { keys: JWK[] };
  sharedSecret?: string;
  algorithms: string[];
  requiredScope: string;
  clockToleranceSeconds: number;
  jwksCooldownMs: number;
  jwksMaxAgeMs: number;
  httpTimeoutMs: number;
  verifiedTokenCacheSize: number;
}

export interface ResolvedRateLimit {
  limit: number;
  ttlMs: number;
  storage?: ThrottlerStorage;
}

export interface ResolvedRegistrationAuthOptions {
  mode: RegistrationAuthMode;
  realm: string;
  bearer?: ResolvedBearerOptions;
  rateLimit?: ResolvedRateLimit;
  anonymousPolicy?: AnonymousPolicy;
}

export const DEFAULT_REQUIRED_SCOPE = 'dcr.register';
export const DEFAULT_REALM = 'dcr';
export const DEFAULT_RATE_LIMIT = { limit: 30, ttlSeconds: 60 } as const;

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token
const QUOTABLE = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/; // a quoted-string without escapes

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function positiveInteger(option: string, value: unknown, fallback: number, min = 1): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || (resolved as number) < min) {
    throw new DcrConfigurationError(option, `must be an integer >= ${min}`);
  }
  return resolved as number;
}

function nonEmptyString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new DcrConfigurationError(option, 'must be a non-empty string');
  }
  return value;
}

function resolveAlgorithms(input: unknown, sharedSecret: string | undefined): string[] {
  const option = 'registration.bearer.algorithms';
  const hmacAllowed = sharedSecret !== undefined;
  if (input === undefined) {
    return [...ASYMMETRIC_ALGORITHMS, ...(hmacAllowed ? HMAC_ALGORITHMS : [])];
  }
  if (!Array.isArray(input) || input.length === 0) {
    throw new DcrConfigurationError(option, 'must be a non-empty array of algorithm names');
  }
  for (const alg of input) {
    if ((HMAC_ALGORITHMS as readonly unknown[]).includes(alg)) {
      if (!hmacAllowed) {
        throw new DcrConfigurationError(option, `holds ${String(alg)}, which needs sharedSecret`);
      }
    } else if (!(ASYMMETRIC_ALGORITHMS as readonly unknown[]).includes(alg)) {
      throw new DcrConfigurationError(option, `holds unsupported algorithm "${String(alg)}"`);
    }
  }
  return [...new Set(input as string[])];
}

function resolveAudience(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list: unknown = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.some((aud) => typeof aud !== 'string' || aud === '')
  ) {
    throw new DcrConfigurationError(
      'registration.bearer.audience',
      'must be a non-empty string or array of them',
    );
  }
  return [...new Set(list as string[])];
}

function resolveStaticJwks(value: unknown): { keys: JWK[] } | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || !Array.isArray(value.keys) || value.keys.length === 0) {
    throw new DcrConfigurationError('registration.bearer.jwks', 'must be a JWK Set with keys');
  }
  if (value.keys.some((key) => !isObject(key) || 'd' in key || 'k' in key)) {
    throw new DcrConfigurationError('registration.bearer.jwks', 'must hold public keys only');
  }
  return { keys: structuredClone(value.keys as JWK[]) };
}

function resolveBearer(value: unknown): ResolvedBearerOptions {
  if (!isObject(value)) throw new DcrConfigurationError('registration.bearer', 'must be an object');
  const issuer = nonEmptyString('registration.bearer.issuer', value.issuer);
  checkIssuerUrl('registration.bearer.issuer', issuer);
  const audience = resolveAudience(value.audience);
  const jwks = resolveStaticJwks(value.jwks);
  if (jwks && value.jwksUri !== undefined) {
    throw new DcrConfigurationError('registration.bearer.jwks', 'and jwksUri are exclusive');
  }
  const jwksUri =
    value.jwksUri === undefined
      ? undefined
      : checkIssuerUrl(
          'registration.bearer.jwksUri',
          nonEmptyString('registration.bearer.jwksUri', value.jwksUri),
        );
  let sharedSecret: string | undefined;
  if (value.sharedSecret !== undefined) {
    sharedSecret = nonEmptyString('registration.bearer.sharedSecret', value.sharedSecret);
    if (Buffer.byteLength(sharedSecret) < 32) {
      throw new DcrConfigurationError('registration.bearer.sharedSecret', 'must be >= 32 bytes');
    }
  }
  const requiredScope = nonEmptyString(
    'registration.bearer.requiredScope',
    value.requiredScope ?? DEFAULT_REQUIRED_SCOPE,
  );
  if (!SCOPE_TOKEN.test(requiredScope)) {
    throw new DcrConfigurationError('registration.bearer.requiredScope', 'must be one scope token');
  }
  return {
    issuer,
    audience,
    jwksUri,
    jwks,
    sharedSecret,
    algorithms: resolveAlgorithms(value.algorithms, sharedSecret),
    requiredScope,
    clockToleranceSeconds: positiveInteger(
      'registration.bearer.clockToleranceSeconds',
      value.clockToleranceSeconds,
      30,
      0,
    ),
    jwksCooldownMs:
      1000 *
      positiveInteger('registration.bearer.jwksCooldownSeconds', value.jwksCooldownSeconds, 30),
    jwksMaxAgeMs:
      1000 * positiveInteger('registration.bearer.jwksMaxAgeSeconds', value.jwksMaxAgeSeconds, 600),
    httpTimeoutMs: positiveInteger('registration.bearer.httpTimeoutMs', value.httpTimeoutMs, 5000),
    verifiedTokenCacheSize: positiveInteger(
      'registration.bearer.verifiedTokenCacheSize',
      value.verifiedTokenCacheSize,
      1000,
      0,
    ),
  };
}

function resolveRateLimit(value: unknown): ResolvedRateLimit | undefined {
  if (value === false) return undefined;
  const input = value ?? {};
  if (!isObject(input)) {
    throw new DcrConfigurationError('registration.rateLimit', 'must be an object or false');
  }
  const storage = input.storage;
  if (storage !== undefined && (!isObject(storage) || typeof storage.increment !== 'function')) {
    throw new DcrConfigurationError('registration.rateLimit.storage', 'must be a ThrottlerStorage');
  }
  return {
    limit: positiveInteger('registration.rateLimit.limit', input.limit, DEFAULT_RATE_LIMIT.limit),
    ttlMs:
      1000 *
      positiveInteger(
        'registration.rateLimit.ttlSeconds',
        input.ttlSeconds,
        DEFAULT_RATE_LIMIT.ttlSeconds,
      ),
    storage: storage as ThrottlerStorage | undefined,
  };
}

/**
 * Defaults and checks `registration` at bootstrap. Protected by default: with
 * no mode, bearer when `bearer` is configured, else initial access tokens.
 */
export function resolveRegistrationAuthOptions(
  value: RegistrationAuthOptions | undefined,
  dcrOptions: ResolvedDcrOptions,
): ResolvedRegistrationAuthOptions {
  if (value !== undefined && !isObject(value)) {
    throw new DcrConfigurationError('registration', 'must be an object');
  }
  const input: RegistrationAuthOptions = value ?? {};
  const bearer = input.bearer === undefined ? undefined : resolveBearer(input.bearer);
  const mode: RegistrationAuthMode = input.mode ?? (bearer ? 'bearer' : 'initial_access_token');
  if (!REGISTRATION_AUTH_MODES.includes(mode)) {
    throw new DcrConfigurationError(
      'registration.mode',
      `must be one of ${REGISTRATION_AUTH_MODES.join(', ')}`,
    );
  }
  if ((mode === 'bearer' || mode === 'bearer_or_initial_access_token') && !bearer) {
    throw new DcrConfigurationError('registration.bearer', `is required in mode "${mode}"`);
  }
  const realm = input.realm ?? DEFAULT_REALM;
  if (typeof realm !== 'string' || !QUOTABLE.test(realm)) {
    throw new DcrConfigurationError(
      'registration.realm',
      'must be printable ASCII without " or \\',
    );
  }
  const anonymousPolicy: AnonymousPolicy | undefined =
    input.anonymousPolicy === undefined || typeof input.anonymousPolicy === 'function'
      ? input.anonymousPolicy
      : checkRegistrationPolicy('registration.anonymousPolicy', input.anonymousPolicy, dcrOptions);
  return {
    mode,
    realm,
    bearer,
    rateLimit: mode === 'open' ? resolveRateLimit(input.rateLimit) : undefined,
    anonymousPolicy: mode === 'open' ? anonymousPolicy : undefined,
  };
}
