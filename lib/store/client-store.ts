import type { ClientChangeListener, ClientChangeSubscription } from './client-changes.js';
import type { StoredClient, StoredInitialAccessToken } from './stored-client.js';

/**
 * Where registered clients live: the injection token users replace with a class
 * of their own. Every write is atomic; `test/store/client-store.contract.ts` is
 * the behaviour an implementation must show.
 */
export abstract class ClientStore {
  /** Inserts a new client; rejects with ClientAlreadyExistsError when the id is taken. */
  abstract create(client: StoredClient): Promise<void>;

  abstract findById(clientId: string): Promise<StoredClient | undefined>;

  /** Replaces the whole client; false when it doesn't exist. */
  abstract replace(client: StoredClient): Promise<boolean>;

  /** False when it didn't exist. */
  abstract delete(clientId: string): Promise<boolean>;

  /** Records a successful use (seconds since the epoch). */
  abstract markUsed(clientId: string, at: number): Promise<void>;

  /**
   * Records many uses (client id -> seconds since the epoch) at once, for
   * ClientUseRecorder. The default calls markUsed for each; a store that can
   * write them in one statement should.
   */
  async markUsedMany(uses: ReadonlyMap<string, number>): Promise<void> {
    for (const [clientId, at] of uses) await this.markUsed(clientId, at);
  }

  /**
   * Tells `listener` of every create, replace and delete of a client, made
   * through this instance or, where the backend can tell, any instance sharing
   * its data. The default answers undefined: this store can't tell, so a
   * ClientLookupCache in front of it caches nothing.
   */
  watchClientChanges(_listener: ClientChangeListener): ClientChangeSubscription | undefined {
    return undefined;
  }

  /** Deletes clients not used (or, never used, not issued) since `cutoff`; returns how many. */
  abstract deleteUnusedSince(cutoff: number): Promise<number>;

  abstract saveInitialAccessToken(token: StoredInitialAccessToken): Promise<void>;

  /**
   * Atomically spends one use of an initial access token: returns it (uses
   * counted) when it exists, hasn't expired at `now` and has uses left;
   * undefined otherwise. Concurrent callers never overspend.
   */
  abstract consumeInitialAccessToken(
    tokenHash: string,
    now: number,
  ): Promise<StoredInitialAccessToken | undefined>;

  /**
   * Remembers a software statement id until `expiresAt`; false when it was
   * already remembered and hasn't expired at `now` (a replay).
   */
  abstract rememberSoftwareStatementId(
    key: string,
    expiresAt: number,
    now: number,
  ): Promise<boolean>;

  /**
   * Deletes initial access tokens that expired or are spent, and software
   * statement ids remembered past their expiry, at `now`; returns how many.
   */
  abstract deleteExpiredTokens(now: number): Promise<number>;

  /** Resolves when the backend answers; rejects with StoreUnavailableError otherwise. */
  abstract ping(): Promise<void>;
}
