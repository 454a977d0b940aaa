import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';

/** The provider's private signing keys (JWKS) and cookie keys. */
export interface ProviderKeys {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

const KEYS_FILE = 'oidc-provider-keys.json';

async function privateJwk(key: KeyObject, alg: string): Promise<JWK> {
  const jwk = key.export({ format: 'jwk' }) as JWK;
  return { ...jwk, alg, use: 'sig', kid: await calculateJwkThumbprint(jwk) };
}

async function generateKeys(): Promise<ProviderKeys> {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return {
    // RS256 first: oidc-provider's default for ID tokens; ES256 signs access tokens.
    jwks: { keys: [await privateJwk(rsa, 'RS256'), await privateJwk(ec, 'ES256')] },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}

/**
 * Keys kept in the data directory (owner-only file), so that tokens survive a
 * restart; created on first start. Behind a load balancer every instance must
 * share this file (or replace this with your KMS).
 */
export async function loadOrCreateProviderKeys(dataDir: string): Promise<ProviderKeys> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, KEYS_FILE);
  if (!existsSync(path)) {
    try {
      // 'wx': never overwrite keys another instance has just written.
      writeFileSync(path, JSON.stringify(await generateKeys()), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return JSON.parse(readFileSync(path, 'utf8')) as ProviderKeys;
}

/** The public half of the provider's signing keys: what a verifier of its tokens needs. */
export function publicJwks(keys: ProviderKeys): { keys: JWK[] } {
  return {
    keys: keys.jwks.keys.map(({ kty, kid, alg, use, n, e, crv, x, y }) =>
      Object.fromEntries(
        Object.entries({ kty, kid, alg, use, n, e, crv, x, y }).filter(([, v]) => v !== undefined),
      ),
    ),
  };
}
