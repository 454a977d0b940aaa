import { hash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

/**
 * CSPRNG bytes are drawn in blocks and handed out in slices, each byte once:
 * one randomFillSync per block costs about what one small randomBytes does,
 * and a registration needs up to three tokens.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/** An unguessable token: `bytes` from the CSPRNG, base64url. */
export function generateToken(bytes: number): string {
  if (bytes > POOL_BYTES) return randomBytes(bytes).toString('base64url');
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const token = pool.toString('base64url', poolOffset, poolOffset + bytes);
  // Wiped once issued, so no later reader of the pool finds a token's bytes.
  pool.fill(0, poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return token;
}

/**
 * Secrets we issue carry >= 128 bits of entropy, so one SHA-256 is enough to
 * make a stored hash useless to a thief (no slow KDF needed, unlike passwords).
 */
export function hashSecret(secret: string): string {
  // One-shot hash (a string is hashed as UTF-8): no Hash object per call.
  return hash('sha256', secret, 'base64url');
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatchesHash(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'base64url');
  const stored = Buffer.from(storedHash, 'base64url');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
