import { importJWK, type JWTVerifyGetKey } from 'jose';
import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import { IssuerKeys } from '../keys/issuer-keys.js';
import type {
  ResolvedSoftwareStatementIssuer,
  ResolvedSoftwareStatementOptions,
} from './software-statement.options.js';

/**
 * One key resolver per trusted issuer, by `iss`: the same IssuerKeys the
 * bearer guard uses (fetched once, refreshed for an unknown kid at most once
 * per cool-down, failed fetches included, so a flood of statements can't flood
 * an issuer that is down).
 */
export function issuerKeyResolvers(
  options: ResolvedSoftwareStatementOptions,
): ReadonlyMap<string, JWTVerifyGetKey> {
  const resolvers = new Map<string, JWTVerifyGetKey>();
  [...options.issuers.values()].forEach(({ issuer, jwksUri, keys }, index) => {
    const issuerKeys = new IssuerKeys(
      {
        issuer,
        jwksUri,
        jwks: keys && { keys: [...keys] },
        algorithms: options.algorithms,
        jwksMaxAgeMs: options.jwksCacheMaxAgeSeconds * 1000,
        jwksCooldownMs: options.jwksCooldownSeconds * 1000,
        httpTimeoutMs: options.jwksTimeoutMs,
      },
      `softwareStatements.issuers[${index}].keys`,
    );
    resolvers.set(issuer, (header) => issuerKeys.keyFor(header));
  });
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
