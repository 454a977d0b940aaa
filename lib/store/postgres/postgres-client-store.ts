import type { OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { hashSecret } from '../../crypto/secrets.js';
import type { ClientMetadata } from '../../metadata/client-metadata.js';
import type { RegistrationPolicy } from '../../registration/registration-policy.js';
import {
  ClientChangeFeed,
  type ClientChangeListener,
  type ClientChangeSubscription,
} from '../client-changes.js';
import { ClientStore } from '../client-store.js';
import { ClientAlreadyExistsError, StoreUnavailableError } from '../store.errors.js';
import type { StoredClient, StoredInitialAccessToken } from '../stored-client.js';
import { StatementBatcher } from './statement-batcher.js';
import { isConnectionFailure } from './connection-failure.js';
import { migrate } from './migrations.js';
import { quoteSchema } from './schema-name.js';
import { unnestColumns } from './unnest-columns.js';
import type { SqlDatabase, SqlListener, SqlQueryOptions } from './sql-database.js';

/** bigint columns arrive as strings from pg and as numbers from PGlite. */
type Int8 = string | number;

interface ClientRow {
  client_id: string;
  metadata: ClientMetadata;
  issued_at: Int8;
  updated_at: Int8;
  last_used_at: Int8 | null;
  secret_hash: string | null;
  secret_expires_at: Int8;
  registration_token_hash: string | null;
  policy: RegistrationPolicy | null;
}

interface InitialAccessTokenRow {
  token_hash: string;
  expires_at: Int8;
  max_uses: number;
  uses: number;
  policy: RegistrationPolicy | null;
}

const CLIENT_COLUMNS =
  'client_id, metadata, issued_at, updated_at, last_used_at, secret_hash, secret_expires_at, registration_token_hash, policy';

/** One array per column of CLIENT_COLUMNS, in order (JSON as text, as json() makes it). */
const CLIENT_COLUMN_ARRAYS =
  '$1::text[], $2::text[], $3::int8[], $4::int8[], $5::int8[], $6::text[], $7::int8[], $8::text[], $9::text[]';

/** The store's frequent statements: prepared once per connection. */
const PREPARED: SqlQueryOptions = { prepare: true };

/** JSON travels as text cast to jsonb, so pg and PGlite serialise it the same way. */
function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/**
 * The NOTIFY channel of a schema's client changes: one per schema (another
 * schema is another store), a plain identifier whatever the schema's name.
 */
function changeChannel(schema: string): string {
  return 'dcr_clients_' + createHash('sha256').update(schema).digest('hex').slice(0, 24);
}

/** The payload that means "any client may have changed" (no client id is empty). */
const ANY_CLIENT = '';

/** PostgreSQL text can't hold U+0000, so no stored id contains it: answer without asking. */
function isStorableId(id: string): boolean {
  return !id.includes('\u0000');
}

function toStoredClient(row: ClientRow): StoredClient {
  const client: StoredClient = {
    clientId: row.client_id,
    metadata: row.metadata,
    clientIdIssuedAt: Number(row.issued_at),
    clientSecretExpiresAt: Number(row.secret_expires_at),
    updatedAt: Number(row.updated_at),
  };
  if (row.secret_hash !== null) client.clientSecretHash = row.secret_hash;
  if (row.registration_token_hash !== null) {
    client.registrationAccessTokenHash = row.registration_token_hash;
  }
  if (row.policy !== null) client.policy = row.policy;
  if (row.last_used_at !== null) client.lastUsedAt = Number(row.last_used_at);
  return client;
}

function toInitialAccessToken(row: InitialAccessTokenRow): StoredInitialAccessToken {
  const token: StoredInitialAccessToken = {
    tokenHash: row.token_hash,
    expiresAt: Number(row.expires_at),
    maxUses: row.max_uses,
    uses: row.uses,
  };
  if (row.policy !== null) token.policy = row.policy;
  return token;
}

/**
 * ClientStore on PostgreSQL: a server through a pg pool, or the embedded
 * PGlite, with the same SQL. Every write is a single statement (so there is
 * never a half-written client) and every lookup goes through a primary key or
 * the idle-time index. Concurrent registrations share one INSERT (group
 * commit, see StatementBatcher); each still waits for its own commit.
 * Call migrate() before use (the module does, at start-up).
 *
 * Every statement that creates, replaces or deletes clients also NOTIFYs their
 * ids on the schema's channel, in its own transaction, so PostgreSQL delivers
 * them at commit to every instance that watches (watchClientChanges).
 */
export class PostgresClientStore extends ClientStore implements OnApplicationShutdown {
  private readonly clients: string;
  private readonly initialAccessTokens: string;
  private readonly softwareStatementIds: string;
  /** Resolves whether the client was inserted (false: its id exists). */
  private readonly inserts = new StatementBatcher<StoredClient, boolean>(
    (clients) => this.insertClients(clients),
    (client) => client.clientId,
  );
  private readonly channel: string;
  /** Live at once without a listen() (PGlite: this process makes every change). */
  private readonly changes: ClientChangeFeed;
  private listener?: SqlListener;

  /**
   * `database` and `schema` are public so that a host can keep its own tables
   * (accounts, provider state) beside the clients, on the same connection:
   * an embedded PGlite data directory can be opened by one instance only.
   */
  constructor(
    readonly database: SqlDatabase,
    readonly schema = 'public',
  ) {
    super();
    const s = quoteSchema(schema);
    this.clients = `${s}.dcr_clients`;
    this.initialAccessTokens = `${s}.dcr_initial_access_tokens`;
    this.softwareStatementIds = `${s}.dcr_software_statement_ids`;
    this.channel = changeChannel(schema);
    this.changes = new ClientChangeFeed(database.listen === undefined);
  }

  /** Applies pending migrations (safe to run from many instances at once); returns the versions applied. */
  migrate(): Promise<number[]> {
    return this.run(() => migrate(this.database, this.schema));
  }

  async create(client: StoredClient): Promise<void> {
    const inserted = await this.run(() => this.inserts.submit(client));
    if (!inserted) throw new ClientAlreadyExistsError(client.clientId);
  }

  async findById(clientId: string): Promise<StoredClient | undefined> {
    if (!isStorableId(clientId)) return undefined;
    const rows = await this.query<ClientRow>(
      `SELECT ${CLIENT_COLUMNS} FROM ${this.clients} WHERE client_id = $1`,
      [clientId],
      PREPARED,
    );
    return rows[0] && toStoredClient(rows[0]);
  }

  async replace(client: StoredClient): Promise<boolean> {
    const updated = await this.query(
      `UPDATE ${this.clients}
       SET metadata = $2::text::jsonb, issued_at = $3, updated_at = $4, last_used_at = $5,
           secret_hash = $6, secret_expires_at = $7, registration_token_hash = $8,
           policy = $9::text::jsonb
       WHERE client_id = $1
       RETURNING client_id, pg_notify($10, client_id)::text AS notified`,
      [...this.clientParams(client), this.channel],
      PREPARED,
    );
    return this.published(client.clientId, updated.length > 0);
  }

  async delete(clientId: string): Promise<boolean> {
    if (!isStorableId(clientId)) return false;
    const deleted = await this.query(
      `DELETE FROM ${this.clients} WHERE client_id = $1
       RETURNING client_id, pg_notify($2, client_id)::text AS notified`,
      [clientId, this.channel],
      PREPARED,
    );
    return this.published(clientId, deleted.length > 0);
  }

  /** Only moves forward, and skips the write when nothing changes. */
  async markUsed(clientId: string, at: number): Promise<void> {
    if (!isStorableId(clientId)) return;
    await this.query(
      `UPDATE ${this.clients} SET last_used_at = $2
       WHERE client_id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`,
      [clientId, at],
      PREPARED,
    );
  }

  /**
   * One write for the whole batch. Like markUsed, a use only moves last_used_at
   * forward, and a client deleted meanwhile is skipped.
   */
  override async markUsedMany(uses: ReadonlyMap<string, number>): Promise<void> {
    const ids: string[] = [];
    const times: number[] = [];
    for (const [clientId, at] of uses) {
      if (!isStorableId(clientId)) continue;
      ids.push(clientId);
      times.push(at);
    }
    if (ids.length === 0) return;
    await this.query(
      `UPDATE ${this.clients} AS c SET last_used_at = u.at
       FROM unnest($1::text[], $2::int8[]) AS u (client_id, at)
       WHERE c.client_id = u.client_id AND (c.last_used_at IS NULL OR c.last_used_at < u.at)`,
      [ids, times],
      PREPARED,
    );
  }

  /** Says "any client" once rather than naming every pruned one. */
  async deleteUnusedSince(cutoff: number): Promise<number> {
    const rows = await this.query<{ deleted: number }>(
      `WITH gone AS (
         DELETE FROM ${this.clients} WHERE coalesce(last_used_at, issued_at) < $1 RETURNING 1
       ), counted AS (SELECT count(*)::integer AS deleted FROM gone)
       SELECT deleted,
              (SELECT count(*) FROM (SELECT pg_notify($2, $3) FROM counted WHERE deleted > 0) AS n)
       FROM counted`,
      [cutoff, this.channel, ANY_CLIENT],
    );
    const deleted = rows[0].deleted;
    if (deleted > 0) this.changes.changed(undefined);
    return deleted;
  }

  /**
   * Local changes are told at once (this instance reads its own writes);
   * other instances' changes arrive by NOTIFY once this instance listens.
   */
  override watchClientChanges(
    listener: ClientChangeListener,
  ): ClientChangeSubscription | undefined {
    if (!this.listener && this.database.listen) {
      this.listener = this.database.listen(this.channel, {
        notification: (payload) =>
          this.changes.changed(payload === ANY_CLIENT ? undefined : payload),
        listening: (live) => this.changes.setLive(live),
      });
    }
    return this.changes.subscribe(listener);
  }

  async saveInitialAccessToken(token: StoredInitialAccessToken): Promise<void> {
    await this.query(
      `INSERT INTO ${this.initialAccessTokens} (token_hash, expires_at, max_uses, uses, policy)
       VALUES ($1, $2, $3, $4, $5::text::jsonb)
       ON CONFLICT (token_hash) DO UPDATE
       SET expires_at = excluded.expires_at, max_uses = excluded.max_uses,
           uses = excluded.uses, policy = excluded.policy`,
      [token.tokenHash, token.expiresAt, token.maxUses, token.uses, json(token.policy)],
    );
  }

  /** One conditional UPDATE: the row lock makes concurrent spenders queue, so none overspends. */
  async consumeInitialAccessToken(
    tokenHash: string,
    now: number,
  ): Promise<StoredInitialAccessToken | undefined> {
    if (!isStorableId(tokenHash)) return undefined;
    const rows = await this.query<InitialAccessTokenRow>(
      `UPDATE ${this.initialAccessTokens} SET uses = uses + 1
       WHERE token_hash = $1
         AND (max_uses = 0 OR uses < max_uses)
         AND (expires_at = 0 OR expires_at > $2)
       RETURNING token_hash, expires_at, max_uses, uses, policy`,
      [tokenHash, now],
      PREPARED,
    );
    return rows[0] && toInitialAccessToken(rows[0]);
  }

  /**
   * One upsert that only overwrites an expired record: a row comes back unless
   * it's a replay. The key is kept as a hash, so any jti fits the index.
   */
  async rememberSoftwareStatementId(key: string, expiresAt: number, now: number): Promise<boolean> {
    const rows = await this.query(
      `INSERT INTO ${this.softwareStatementIds} AS remembered (key_hash, expires_at)
       VALUES ($1, $2)
       ON CONFLICT (key_hash) DO UPDATE SET expires_at = excluded.expires_at
       WHERE remembered.expires_at <= $3
       RETURNING key_hash`,
      [hashSecret(key), expiresAt, now],
      PREPARED,
    );
    return rows.length > 0;
  }

  /** One statement: both tables are swept by their expiry index. */
  async deleteExpiredTokens(now: number): Promise<number> {
    const rows = await this.query<{ deleted: number }>(
      `WITH tokens AS (
         DELETE FROM ${this.initialAccessTokens}
         WHERE (expires_at <> 0 AND expires_at <= $1) OR (max_uses <> 0 AND uses >= max_uses)
         RETURNING 1
       ), ids AS (
         DELETE FROM ${this.softwareStatementIds} WHERE expires_at <= $1 RETURNING 1
       )
       SELECT ((SELECT count(*) FROM tokens) + (SELECT count(*) FROM ids))::integer AS deleted`,
      [now],
    );
    return rows[0].deleted;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  /**
   * Stops listening, then closes the database connection(s) the store owns
   * (never a pool the user passed in).
   */
  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.changes.setLive(false);
    await listener?.close();
    await this.database.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /**
   * One statement for the whole batch: the rows travel as one array per column.
   * Creations are notified too: another instance may hold the id as unknown.
   */
  private async insertClients(clients: StoredClient[]): Promise<boolean[]> {
    const columns = unnestColumns(
      clients.map((client) => this.clientParams(client)),
      CLIENT_COLUMNS.split(',').length,
    );
    const { rows } = await this.database.query<{ client_id: string }>(
      `INSERT INTO ${this.clients} (${CLIENT_COLUMNS})
       SELECT client_id, metadata::jsonb, issued_at, updated_at, last_used_at, secret_hash,
              secret_expires_at, registration_token_hash, policy::jsonb
       FROM unnest(${CLIENT_COLUMN_ARRAYS}) AS batch (${CLIENT_COLUMNS})
       ON CONFLICT (client_id) DO NOTHING
       RETURNING client_id, pg_notify($10, client_id)::text AS notified`,
      [...columns, this.channel],
      PREPARED,
    );
    const inserted = new Set(rows.map((row) => row.client_id));
    if (this.changes.hasListeners) for (const id of inserted) this.changes.changed(id);
    return clients.map((client) => inserted.has(client.clientId));
  }

  /** Tells this instance's listeners of its own write (NOTIFY tells the others). */
  private published(clientId: string, changed: boolean): boolean {
    if (changed) this.changes.changed(clientId);
    return changed;
  }

  private clientParams(client: StoredClient): unknown[] {
    return [
      client.clientId,
      json(client.metadata),
      client.clientIdIssuedAt,
      client.updatedAt,
      client.lastUsedAt ?? null,
      client.clientSecretHash ?? null,
      client.clientSecretExpiresAt,
      client.registrationAccessTokenHash ?? null,
      json(client.policy),
    ];
  }

  private async query<Row = unknown>(
    sql: string,
    params?: unknown[],
    options?: SqlQueryOptions,
  ): Promise<Row[]> {
    return this.run(async () => (await this.database.query<Row>(sql, params, options)).rows);
  }

  /** Database out of reach -> StoreUnavailableError (503 temporarily_unavailable); other errors pass. */
  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isConnectionFailure(error)) throw new StoreUnavailableError({ cause: error });
      throw error;
    }
  }
}
