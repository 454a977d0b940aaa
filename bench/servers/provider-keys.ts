import { generateKeyPairSync } from 'node:crypto';

/** The signing keys of a plain oidc-provider anchor: ES256 for access tokens, RS256 as its default. */
export function anchorJwks(): { keys: object[] } {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return {
    keys: [
      { ...rsa.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'rs' },
      { ...ec.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'es' },
    ],
  };
}
