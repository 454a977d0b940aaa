/** Asymmetric JWS algorithms with RSA and EC keys: what jsonwebtoken (so passport-jwt) verifies. */
export const RSA_EC_JWS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;

/**
 * Every asymmetric JWS algorithm: a token signed with a shared secret proves
 * nothing about its issuer to a verifier that doesn't hold the secret.
 */
export const ASYMMETRIC_JWS_ALGORITHMS = [...RSA_EC_JWS_ALGORITHMS, 'EdDSA', 'Ed25519'] as const;
