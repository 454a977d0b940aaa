import type { OnApplicationShutdown } from '@nestjs/common';
import type { ClientChangeSubscription } from './client-changes.js';
import type { ClientStore } from './client-store.js';
import { copyJson, deepFreeze } from './json-copy.js';
import type { StoredClient } from './stored-client.js';

export interface ClientLookupCacheOptions {
  /** Registered clients held at most (oldest dropped first). Default 10,000. */
  maxClients?: number;
  /** Unknown ids remembered at most, apart from the clients: they can't push clients out. Default 10,000. */
  maxUnknownIds?: number;
  /**
   * An entry is read again after this long even without a change notice: a
   * backstop, since changes are told (watchClientChanges). Default 300,000 ms.
   */
  maxAgeMs?: number;
}

interface Entry {
  /** undefined: no such client. */
  client: StoredClient | undefined;
  expiresAt: number;
}

const DEFAULTS: Required<ClientLookupCacheOptions> = {
  maxClients: 10_000,
  maxUnknownIds: 10_000,
  maxAgeMs: 300_000,
};

/** Longer ids are looked up but never remembered as unknown: a flood of huge ids would be a flood of heap. */
const MAX_REMEMBERED_UNKNOWN_ID = 256;

/**
 * findById in front of a ClientStore, for a hot path such as a token endpoint
 * that looks the same client up on every request. Clients and unknown ids are
 * held in two bounded maps (oldest out first), so random ids can't evict real
 * clients. Entries go when the store tells of a change (ClientStore.
 * watchClientChanges: at once for this instance's writes, by PostgreSQL NOTIFY
 * for other instances'); while the store can't tell (its notification
 * connection is down, or a store without watchClientChanges) nothing is cached
 * and every lookup reads the store. Concurrent lookups of one id share one read.
 * findById's callers get their own copy, as from the store; findShared's share
 * the cached entry, frozen.
 */
export class ClientLookupCache implements OnApplicationShutdown {
  private readonly options: Required<ClientLookupCacheOptions>;
  private readonly clients = new Map<string, Entry>();
  private readonly unknown = new Map<string, Entry>();
  /** Reads in flight; a change to the id removes its read, whose answer then isn't kept. */
  private readonly reads = new Map<string, Promise<StoredClient | undefined>>();
  private live = false;
  private readonly subscription: ClientChangeSubscription | undefined;

  constructor(
    private readonly store: ClientStore,
    options: ClientLookupCacheOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    for (const [name, value] of Object.entries(this.options)) {
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new RangeError(`ClientLookupCache ${name} must be a positive integer`);
      }
    }
    this.subscription = store.watchClientChanges({
      clientsChanged: (clientId) => (clientId === undefined ? this.clear() : this.forget(clientId)),
      watching: (live) => {
        this.live = live;
        this.clear();
      },
    });
  }

  async findById(clientId: string): Promise<StoredClient | undefined> {
    const client = await this.findShared(clientId);
    return client && copyJson(client);
  }

  /**
   * findById without the copy: the cache's own entry, deep-frozen, and the
   * same object on every lookup until the client changes, so a caller can
   * memoise what it derives from it by identity (a WeakMap). Uncached, while
   * the store can't tell of changes: the store's answer, a new object each time.
   */
  async findShared(clientId: string): Promise<Readonly<StoredClient> | undefined> {
    if (!this.live) return this.store.findById(clientId);
    const entry = this.clients.get(clientId) ?? this.unknown.get(clientId);
    if (entry !== undefined && entry.expiresAt > Date.now()) return entry.client;
    return this.read(clientId);
  }

  /** Holds this many clients and unknown ids now. */
  get size(): { clients: number; unknownIds: number } {
    return { clients: this.clients.size, unknownIds: this.unknown.size };
  }

  /** Stops listening for changes and caching. */
  close(): void {
    this.subscription?.close();
    this.live = false;
    this.clear();
  }

  onApplicationShutdown(): void {
    this.close();
  }

  private read(clientId: string): Promise<StoredClient | undefined> {
    const pending = this.reads.get(clientId);
    if (pending) return pending;
    const read = this.store.findById(clientId).then(
      (found) => {
        // A copy: the store may hand out an object it still owns.
        const client = found && deepFreeze(copyJson(found));
        if (this.reads.get(clientId) === read) {
          this.reads.delete(clientId);
          this.remember(clientId, client);
        }
        return client;
      },
      (error: unknown) => {
        if (this.reads.get(clientId) === read) this.reads.delete(clientId);
        throw error;
      },
    );
    this.reads.set(clientId, read);
    return read;
  }

  private remember(clientId: string, client: StoredClient | undefined): void {
    if (!this.live) return;
    if (client === undefined && clientId.length > MAX_REMEMBERED_UNKNOWN_ID) return;
    const [map, max] = client
      ? [this.clients, this.options.maxClients]
      : [this.unknown, this.options.maxUnknownIds];
    map.delete(clientId);
    if (map.size >= max) map.delete(map.keys().next().value as string);
    map.set(clientId, { client, expiresAt: Date.now() + this.options.maxAgeMs });
  }

  private forget(clientId: string): void {
    this.clients.delete(clientId);
    this.unknown.delete(clientId);
    this.reads.delete(clientId);
  }

  private clear(): void {
    this.clients.clear();
    this.unknown.clear();
    this.reads.clear();
  }
}
