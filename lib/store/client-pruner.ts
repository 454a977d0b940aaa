import { Inject, Injectable } from '@nestjs/common';
import { ClientStore } from './client-store.js';
import { DCR_STORE_OPTIONS, type ResolvedStoreOptions } from './store.options.js';

/** What one prune() removed. */
export interface PruneResult {
  /** Clients unused for longer than clientMaxIdleSeconds (0 when unset). */
  clients: number;
  /** Expired or spent initial access tokens and expired software statement ids. */
  tokens: number;
}

/**
 * Deletes clients unused for longer than `clientMaxIdleSeconds`, and the
 * tokens and statement ids that can no longer be used. The module never
 * schedules it: call prune() from your scheduler (e.g. @nestjs/schedule), on
 * one instance or many (each call is at most two statements).
 */
@Injectable()
export class ClientPruner {
  constructor(
    private readonly store: ClientStore,
    @Inject(DCR_STORE_OPTIONS) private readonly options: ResolvedStoreOptions,
  ) {}

  async prune(now: number = Math.floor(Date.now() / 1000)): Promise<PruneResult> {
    const maxIdle = this.options.clientMaxIdleSeconds;
    const clients = maxIdle === undefined ? 0 : await this.store.deleteUnusedSince(now - maxIdle);
    return { clients, tokens: await this.store.deleteExpiredTokens(now) };
  }
}
