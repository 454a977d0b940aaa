import { hash } from 'node:crypto';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { DcrException } from '../errors/dcr.exception.js';
import { InMemoryThrottlerStorage } from './in-memory-throttler-storage.js';
import type { ResolvedRateLimit } from './registration-auth.options.js';

const THROTTLER_NAME = 'nestjs-dcr-open-registration';

/**
 * Counts open registrations per client address in a @nestjs/throttler
 * ThrottlerStorage (in memory by default; pass a shared one to count across
 * instances). Addresses are hashed before they reach the storage.
 */
export class RegistrationRateLimiter {
  private readonly storage: ThrottlerStorage;

  constructor(private readonly limits: ResolvedRateLimit) {
    this.storage = limits.storage ?? new InMemoryThrottlerStorage();
  }

  /** Counts one request from `address`; 429 with Retry-After when over the limit. */
  async hit(address: string): Promise<void> {
    const key = hash('sha256', `${THROTTLER_NAME}|${address}`, 'base64url');
    const { ttlMs, limit } = this.limits;
    const record = await this.storage.increment(key, ttlMs, limit, ttlMs, THROTTLER_NAME);
    if (record.isBlocked) throw DcrException.tooManyRequests(record.timeToBlockExpire);
  }
}
