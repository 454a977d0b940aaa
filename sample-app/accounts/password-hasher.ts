import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's first recommended setting (19 MiB of memory, 2
 * passes, 1 lane): about 80 ms per hash on the reference machine. The
 * parameters are stored in each PHC string, so raising them later only
 * affects new hashes.
 */
export const ARGON2ID_PARAMETERS = {
  // Algorithm.Argon2id (a const enum, which isolatedModules can't read).
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Hashes and verifies passwords; verifying a dummy hash makes unknown users cost the same. */
export class PasswordHasher {
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2ID_PARAMETERS);
  }

  /** False for a malformed hash too: a corrupt row must not sign anyone in or crash the page. */
  async verify(storedHash: string, password: string): Promise<boolean> {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  }

  /** Spends what a real verification spends, for a username that has no account. */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(16).toString('base64url'));
    await this.verify(await this.dummy, password);
    return false;
  }
}
