import { Inject, Injectable } from '@nestjs/common';
import { ClientStore } from './client-store.js';
import { DCR_STORE_OPTIONS, type ResolvedStoreOptions } from './store.options.js';

/**
 * Deletes clients unused for longer than `clientMaxIdleSeconds`. The module
 * never schedules it: call prune() from your scheduler (e.g. @nestjs/schedule),
 * on one instance or many (each call is one DELETE).
 */
@Injectable()
export class ClientPruner {
  constructor(
    private readonly store: ClientStore,
    @Inject(DCR_STORE_OPTIONS) private readonly options: ResolvedStoreOptions,
  ) {}

  /** Returns how many clients were deleted; 0 without deleting when no max idle time is set. */
  async prune(now: number = Math.floor(Date.now() / 1000)): Promise<number> {
    const maxIdle = this.options.clientMaxIdleSeconds;
    if (maxIdle === undefined) return 0;
    return this.store.deleteUnusedSince(now - maxIdle);
  }
}
