import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An unguessable token: `bytes` from the CSPRNG, base64url. */
export function generateToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Secrets we issue carry >= 128 bits of entropy, so one SHA-256 is enough to
 * make a stored hash useless to a thief (no slow KDF needed, unlike passwords).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatchesHash(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'base64url');
  const stored = Buffer.from(storedHash, 'base64url');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
