import type { JWK } from 'jose';
import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import { ASYMMETRIC_JWS_ALGORITHMS } from '../keys/jws-algorithms.js';

/** An issuer whose software statements are trusted, with where its public keys are. */
export type TrustedSoftwareStatementIssuer =
  | {
      /** The statements' exact `iss`. */
      issuer: string;
      /** The issuer's JWK Set: https, or http on a loopback host. Fetched once, then cached. */
      jwksUri: string;
    }
  | {
      issuer: string;
      /** The issuer's public keys, inline. */
      keys: JWK[];
    };

/** `softwareStatements` in DcrModuleOptions: set it to verify statements (RFC 7591 §2.3) as JWTs. */
export interface SoftwareStatementOptions {
  /** Issuers whose statements are applied; a statement from any other `iss` is unapproved. */
  issuers: TrustedSoftwareStatementIssuer[];
  /** Accepted JWS algorithms, asymmetric only. Default: every asymmetric one jose supports. */
  algorithms?: string[];
  /** Leeway for exp / nbf / iat checks, in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** Rejects statements whose `iat` is older than this (then `iat` is required). Default: no limit. */
  maxAgeSeconds?: number;
  /**
   * A statement without `exp` must carry an `iat` no older than this many
   * seconds. Default 86400 (a day); 0 accepts statements without exp or iat
   * for ever (the old behaviour).
   */
  maxAgeWithoutExpSeconds?: number;
  /** Refuses registrations without a statement (invalid_software_statement). Default false. */
  required?: boolean;
  /**
   * Accepts each statement (`iss` + `jti`) once, remembered in the ClientStore
   * until it expires. Off by default: a statement is usually shared by every
   * instance of the software it describes.
   */
  replayProtection?: boolean;
  /** Seconds after a JWKS fetch before an unknown `kid` may trigger another. Default 30. */
  jwksCooldownSeconds?: number;
  /** Seconds a fetched JWKS is used before it is fetched again. Default 600. */
  jwksCacheMaxAgeSeconds?: number;
  /** Time limit of one JWKS fetch, in milliseconds. Default 5000. */
  jwksTimeoutMs?: number;
}

export interface ResolvedSoftwareStatementIssuer {
  issuer: string;
  jwksUri?: URL;
  keys?: readonly JWK[];
}

export interface ResolvedSoftwareStatementOptions {
  /** By `iss`. */
  issuers: ReadonlyMap<string, ResolvedSoftwareStatementIssuer>;
  algorithms: readonly string[];
  clockToleranceSeconds: number;
  maxAgeSeconds?: number;
  /** 0: no limit. */
  maxAgeWithoutExpSeconds: number;
  required: boolean;
  replayProtection: boolean;
  jwksCooldownSeconds: number;
  jwksCacheMaxAgeSeconds: number;
  jwksTimeoutMs: number;
}

const OPTION = 'softwareStatements';
/** Secure default (issue 15): a statement with no `exp` is not accepted for ever. */
export const DEFAULT_MAX_AGE_WITHOUT_EXP_SECONDS = 86_400;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** JWK members that only private or symmetric keys have. */
const SECRET_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integer(option: string, value: unknown, fallback: number, min: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || (resolved as number) < min) {
    throw new DcrConfigurationError(option, `must be an integer >= ${min}`);
  }
  return resolved as number;
}

function flag(option: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new DcrConfigurationError(option, 'must be a boolean');
  }
  return value ?? false;
}

function jwksUri(option: string, value: unknown): URL {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  const secure =
    url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!url || !secure || url.hash || url.username || url.password) {
    throw new DcrConfigurationError(
      option,
      'must be an https URL (http only on a loopback host) without fragment or credentials',
    );
  }
  return url;
}

function publicKeys(option: string, value: unknown): JWK[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new DcrConfigurationError(option, 'must be a non-empty array of public JWKs');
  }
  value.forEach((key, index) => {
    if (!isObject(key) || typeof key.kty !== 'string') {
      throw new DcrConfigurationError(`${option}[${index}]`, 'must be a JWK with a kty');
    }
    if (SECRET_JWK_MEMBERS.some((member) => member in key)) {
      throw new DcrConfigurationError(`${option}[${index}]`, 'must be a public key');
    }
  });
  return structuredClone(value as JWK[]);
}

function issuer(index: number, value: unknown): ResolvedSoftwareStatementIssuer {
  const option = `${OPTION}.issuers[${index}]`;
  if (!isObject(value)) throw new DcrConfigurationError(option, 'must be an object');
  if (typeof value.issuer !== 'string' || value.issuer === '') {
    throw new DcrConfigurationError(`${option}.issuer`, 'must be a non-empty string');
  }
  if ('jwksUri' in value === 'keys' in value) {
    throw new DcrConfigurationError(option, 'must have exactly one of jwksUri and keys');
  }
  return 'jwksUri' in value
    ? { issuer: value.issuer, jwksUri: jwksUri(`${option}.jwksUri`, value.jwksUri) }
    : { issuer: value.issuer, keys: publicKeys(`${option}.keys`, value.keys) };
}

function algorithms(value: unknown): string[] {
  const option = `${OPTION}.algorithms`;
  if (value === undefined) return [...ASYMMETRIC_JWS_ALGORITHMS];
  if (!Array.isArray(value) || value.length === 0) {
    throw new DcrConfigurationError(option, 'must be a non-empty array');
  }
  const bad = value.find(
    (alg) => !(ASYMMETRIC_JWS_ALGORITHMS as readonly unknown[]).includes(alg),
  ) as unknown;
  if (bad !== undefined) {
    throw new DcrConfigurationError(
      option,
      `holds "${String(bad)}"; allowed: ${ASYMMETRIC_JWS_ALGORITHMS.join(', ')}`,
    );
  }
  return [...new Set(value as string[])];
}

/** Defaults and checks `softwareStatements`; undefined when unset (statements are then ignored). */
export function resolveSoftwareStatementOptions(
  value: unknown,
): ResolvedSoftwareStatementOptions | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new DcrConfigurationError(OPTION, 'must be an object');
  if (!Array.isArray(value.issuers) || value.issuers.length === 0) {
    throw new DcrConfigurationError(`${OPTION}.issuers`, 'must be a non-empty array');
  }
  const issuers = new Map<string, ResolvedSoftwareStatementIssuer>();
  value.issuers.forEach((entry: unknown, index) => {
    const resolved = issuer(index, entry);
    if (issuers.has(resolved.issuer)) {
      throw new DcrConfigurationError(
        `${OPTION}.issuers[${index}].issuer`,
        `repeats "${resolved.issuer}"`,
      );
    }
    issuers.set(resolved.issuer, resolved);
  });
  return {
    issuers,
    algorithms: algorithms(value.algorithms),
    clockToleranceSeconds: integer(
      `${OPTION}.clockToleranceSeconds`,
      value.clockToleranceSeconds,
      30,
      0,
    ),
    maxAgeSeconds:
      value.maxAgeSeconds === undefined
        ? undefined
        : integer(`${OPTION}.maxAgeSeconds`, value.maxAgeSeconds, 0, 1),
    maxAgeWithoutExpSeconds: integer(
      `${OPTION}.maxAgeWithoutExpSeconds`,
      value.maxAgeWithoutExpSeconds,
      DEFAULT_MAX_AGE_WITHOUT_EXP_SECONDS,
      0,
    ),
    required: flag(`${OPTION}.required`, value.required),
    replayProtection: flag(`${OPTION}.replayProtection`, value.replayProtection),
    jwksCooldownSeconds: integer(`${OPTION}.jwksCooldownSeconds`, value.jwksCooldownSeconds, 30, 0),
    jwksCacheMaxAgeSeconds: integer(
      `${OPTION}.jwksCacheMaxAgeSeconds`,
      value.jwksCacheMaxAgeSeconds,
      600,
      1,
    ),
    jwksTimeoutMs: integer(`${OPTION}.jwksTimeoutMs`, value.jwksTimeoutMs, 5000, 1),
  };
}
