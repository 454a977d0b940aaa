import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  importJWK,
  type JWTVerifyGetKey,
} from 'jose';
import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import type {
  ResolvedSoftwareStatementIssuer,
  ResolvedSoftwareStatementOptions,
} from './software-statement.options.js';

/** The issuer's JWKS could not be fetched or read: our side's problem, not the statement's. */
export class IssuerKeysUnavailableError extends Error {
  constructor(issuer: string, options: { cause: unknown }) {
    super(`the keys of software statement issuer ${issuer} are unavailable`, options);
    this.name = 'IssuerKeysUnavailableError';
  }
}

/** Failures that say something about the statement (its kid / alg), not about the issuer's endpoint. */
function isStatementFault(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

/**
 * A remote JWKS, fetched on first use, cached for jwksCacheMaxAgeSeconds, and
 * fetched again for an unknown kid at most once per jwksCooldownSeconds.
 */
function remoteKeys(
  issuer: string,
  url: URL,
  options: ResolvedSoftwareStatementOptions,
): JWTVerifyGetKey {
  const jwks = createRemoteJWKSet(url, {
    cooldownDuration: options.jwksCooldownSeconds * 1000,
    cacheMaxAge: options.jwksCacheMaxAgeSeconds * 1000,
    timeoutDuration: options.jwksTimeoutMs,
  });
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      if (isStatementFault(error)) throw error;
      throw new IssuerKeysUnavailableError(issuer, { cause: error });
    }
  };
}

/** One key resolver per trusted issuer, by `iss`. */
export function issuerKeyResolvers(
  options: ResolvedSoftwareStatementOptions,
): ReadonlyMap<string, JWTVerifyGetKey> {
  const resolvers = new Map<string, JWTVerifyGetKey>();
  for (const { issuer, jwksUri, keys } of options.issuers.values()) {
    resolvers.set(
      issuer,
      jwksUri
        ? remoteKeys(issuer, jwksUri, options)
        : createLocalJWKSet({ keys: [...(keys ?? [])] }),
    );
  }
  return resolvers;
}

/** Imports every inline key once at start-up, so a key jose can't use fails the bootstrap. */
export async function checkInlineKeys(
  issuers: Iterable<ResolvedSoftwareStatementIssuer>,
): Promise<void> {
  let index = 0;
  for (const { keys } of issuers) {
    for (const [keyIndex, key] of (keys ?? []).entries()) {
      try {
        await importJWK(key, key.alg ?? defaultAlgorithm(key.kty, key.crv));
      } catch (error) {
        throw new DcrConfigurationError(
          `softwareStatements.issuers[${index}].keys[${keyIndex}]`,
          `is not a usable public key (${(error as Error).message})`,
        );
      }
    }
    index++;
  }
}

/** An algorithm to import an alg-less JWK with; only the key material is being checked. */
function defaultAlgorithm(kty: string | undefined, crv: string | undefined): string {
  if (kty === 'EC') return crv === 'P-384' ? 'ES384' : crv === 'P-521' ? 'ES512' : 'ES256';
  if (kty === 'OKP') return 'EdDSA';
  return 'RS256';
}
