import type { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  hits: number;
  expiresAt: number;
  blockExpiresAt: number;
}

const SWEEP_EVERY = 1024;

/**
 * A one-process @nestjs/throttler ThrottlerStorage: a fixed window per key,
 * blocked for `blockDuration` once over the limit. Ours rather than
 * ThrottlerStorageService because @nestjs/throttler is CommonJS requiring the
 * ESM-only @nestjs/common, which jest on Node 20 can't load; any
 * ThrottlerStorage (that one, or a shared Redis one) can replace it.
 * Expired windows are swept as keys come in, without timers.
 */
export class InMemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private increments = 0;

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    const now = Date.now();
    if (++this.increments % SWEEP_EVERY === 0) this.sweep(now);
    const id = `${throttlerName}\u0000${key}`;
    let window = this.windows.get(id);
    if (!window || (window.expiresAt <= now && window.blockExpiresAt <= now)) {
      window = { hits: 0, expiresAt: now + ttl, blockExpiresAt: 0 };
      this.windows.set(id, window);
    }
    if (window.blockExpiresAt <= now) {
      if (window.expiresAt <= now) Object.assign(window, { hits: 0, expiresAt: now + ttl });
      window.hits++;
      if (window.hits > limit) window.blockExpiresAt = now + Math.max(blockDuration, 1);
    }
    const isBlocked = window.blockExpiresAt > now;
    return {
      totalHits: window.hits,
      timeToExpire: Math.ceil((window.expiresAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockExpiresAt - now) / 1000) : 0,
    };
  }

  private sweep(now: number): void {
    for (const [id, window] of this.windows) {
      if (window.expiresAt <= now && window.blockExpiresAt <= now) this.windows.delete(id);
    }
  }
}
