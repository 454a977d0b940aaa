import { Injectable } from '@nestjs/common';
import {
  ClientChangeFeed,
  type ClientChangeListener,
  type ClientChangeSubscription,
} from './client-changes.js';
import { ClientStore } from './client-store.js';
import { copyJson } from './json-copy.js';
import { ClientAlreadyExistsError } from './store.errors.js';
import type { StoredClient, StoredInitialAccessToken } from './stored-client.js';

/**
 * A client kept as a private deep copy (copyJson), and copied again on every
 * read, so callers never hold stored state. A client is JSON data, as in a SQL
 * store. (As JSON text it took as much heap, and stringify alone cost 9x a copy.)
 */
interface ClientEntry {
  client: StoredClient;
  /** lastUsedAt ?? clientIdIssuedAt, for pruning without parsing. */
  activeAt: number;
  /** Set by markUsed after the write; overrides the copy's. */
  lastUsedAt?: number;
}

function entryOf(client: StoredClient): ClientEntry {
  return { client: copyJson(client), activeAt: client.lastUsedAt ?? client.clientIdIssuedAt };
}

/** The default store: one process, lost on restart. Copies in and out so callers can't mutate it. */
@Injectable()
export class InMemoryClientStore extends ClientStore {
  private readonly clients = new Map<string, ClientEntry>();
  private readonly initialAccessTokens = new Map<string, StoredInitialAccessToken>();
  private readonly softwareStatementIds = new Map<string, number>();
  /** One process holds all the data, so every change is seen here. */
  private readonly changes = new ClientChangeFeed(true);

  async create(client: StoredClient): Promise<void> {
    if (this.clients.has(client.clientId)) throw new ClientAlreadyExistsError(client.clientId);
    this.clients.set(client.clientId, entryOf(client));
    this.changes.changed(client.clientId);
  }

  async findById(clientId: string): Promise<StoredClient | undefined> {
    const entry = this.clients.get(clientId);
    if (!entry) return undefined;
    const client = copyJson(entry.client);
    if (entry.lastUsedAt !== undefined) client.lastUsedAt = entry.lastUsedAt;
    return client;
  }

  async replace(client: StoredClient): Promise<boolean> {
    if (!this.clients.has(client.clientId)) return false;
    this.clients.set(client.clientId, entryOf(client));
    this.changes.changed(client.clientId);
    return true;
  }

  async delete(clientId: string): Promise<boolean> {
    const deleted = this.clients.delete(clientId);
    if (deleted) this.changes.changed(clientId);
    return deleted;
  }

  /** Only moves forward, as the PostgreSQL store's does. */
  async markUsed(clientId: string, at: number): Promise<void> {
    const entry = this.clients.get(clientId);
    const last = entry?.lastUsedAt ?? entry?.client.lastUsedAt;
    if (entry && (last === undefined || last < at)) entry.lastUsedAt = entry.activeAt = at;
  }

  async deleteUnusedSince(cutoff: number): Promise<number> {
    let deleted = 0;
    for (const [id, entry] of this.clients) {
      if (entry.activeAt < cutoff) {
        this.clients.delete(id);
        this.changes.changed(id);
        deleted++;
      }
    }
    return deleted;
  }

  override watchClientChanges(
    listener: ClientChangeListener,
  ): ClientChangeSubscription | undefined {
    return this.changes.subscribe(listener);
  }

  async saveInitialAccessToken(token: StoredInitialAccessToken): Promise<void> {
    this.initialAccessTokens.set(token.tokenHash, structuredClone(token));
  }

  async consumeInitialAccessToken(
    tokenHash: string,
    now: number,
  ): Promise<StoredInitialAccessToken | undefined> {
    const token = this.initialAccessTokens.get(tokenHash);
    if (!token) return undefined;
    if (token.expiresAt !== 0 && token.expiresAt <= now) return undefined;
    if (token.maxUses !== 0 && token.uses >= token.maxUses) return undefined;
    token.uses++;
    return structuredClone(token);
  }

  async rememberSoftwareStatementId(key: string, expiresAt: number, now: number): Promise<boolean> {
    const remembered = this.softwareStatementIds.get(key);
    if (remembered !== undefined && remembered > now) return false;
    this.softwareStatementIds.set(key, expiresAt);
    return true;
  }

  async deleteExpiredTokens(now: number): Promise<number> {
    let deleted = 0;
    for (const [hash, token] of this.initialAccessTokens) {
      const expired = token.expiresAt !== 0 && token.expiresAt <= now;
      const spent = token.maxUses !== 0 && token.uses >= token.maxUses;
      if (expired || spent) deleted += Number(this.initialAccessTokens.delete(hash));
    }
    for (const [key, expiresAt] of this.softwareStatementIds) {
      if (expiresAt <= now) deleted += Number(this.softwareStatementIds.delete(key));
    }
    return deleted;
  }

  async ping(): Promise<void> {}
}
