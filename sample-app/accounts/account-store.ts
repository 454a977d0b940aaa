import { createHash, randomUUID } from 'node:crypto';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { SqlDatabase, SqlListener } from '../../lib/index.js';
import type { Account } from './account.js';
import { AccountCache } from './account-cache.js';
import { migrateAccounts } from './account-migrations.js';

interface AccountRow {
  id: string;
  username: string;
  administrator: boolean;
  disabled: boolean;
  password_hash: string;
}

/** An account with its password hash: only the sign-in check reads this. */
export interface AccountWithHash extends Account {
  passwordHash: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The NOTIFY channel of a schema's account writes: a plain identifier whatever the schema's name. */
function changeChannel(schema: string): string {
  return 'host_accounts_' + createHash('sha256').update(schema).digest('hex').slice(0, 24);
}

function toAccount(row: AccountRow): AccountWithHash {
  return {
    id: row.id,
    username: row.username,
    administrator: row.administrator,
    disabled: row.disabled,
    passwordHash: row.password_hash,
  };
}

/**
 * End-user accounts in the host's database, beside the DCR client store's
 * tables (same connection, same schema). Usernames arrive normalized
 * (account.ts); hashes arrive hashed (password-hasher.ts). Every write
 * NOTIFYs the schema's channel in its own statement, so PostgreSQL tells the
 * instances that watchChanges() at commit.
 */
export class AccountStore implements BeforeApplicationShutdown {
  private readonly s: string;
  private readonly channel: string;
  /**
   * Lookups by id (every token request's findAccount), remembered while every
   * write is heard: at once on PGlite, where every write to the accounts is
   * this store's (the accounts command refuses a data directory another
   * process has open); on a PostgreSQL server, where the command writes from
   * its own process, only while watchChanges() listens, so a disabled account
   * stops as soon as its write commits.
   */
  private readonly byId: AccountCache;
  private listener?: SqlListener;

  constructor(
    private readonly database: SqlDatabase,
    private readonly schema: string,
  ) {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
    this.s = `"${schema}"`;
    this.channel = changeChannel(schema);
    this.byId = new AccountCache(database.listen === undefined);
  }

  /** Listens for other processes' writes (PostgreSQL), until the application shuts down. */
  watchChanges(): void {
    if (this.listener || !this.database.listen) return;
    this.listener = this.database.listen(this.channel, {
      notification: () => this.byId.clear(),
      listening: (live) => this.byId.setLive(live),
    });
  }

  /** Before the store's connection closes (onApplicationShutdown): the listener holds one of its connections. */
  async beforeApplicationShutdown(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.byId.setLive(false);
    await listener?.close();
  }

  migrate(): Promise<number[]> {
    return migrateAccounts(this.database, this.schema, this.s);
  }

  async findByUsername(username: string): Promise<AccountWithHash | undefined> {
    const { rows } = await this.database.query<AccountRow>(
      `SELECT * FROM ${this.s}.host_accounts WHERE username = $1`,
      [username],
    );
    return rows[0] && toAccount(rows[0]);
  }

  async findById(id: string): Promise<AccountWithHash | undefined> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const generation = this.byId.generation ?? 0;
    const { rows } = await this.database.query<AccountRow>(
      `SELECT * FROM ${this.s}.host_accounts WHERE id = $1`,
      [id],
    );
    const account = rows[0] && toAccount(rows[0]);
    if (account) this.byId.remember(account, generation);
    return account;
  }

  async list(): Promise<Account[]> {
    const { rows } = await this.database.query<Account>(
      `SELECT id, username, administrator, disabled FROM ${this.s}.host_accounts ORDER BY username`,
    );
    return rows;
  }

  /** Creates the account unless the username is taken; resolves whether it did. */
  async create(username: string, passwordHash: string, administrator: boolean): Promise<boolean> {
    const { rows } = await this.database.query<{ id: string }>(
      `INSERT INTO ${this.s}.host_accounts (id, username, password_hash, administrator)
       VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING RETURNING id`,
      [randomUUID(), username, passwordHash, administrator],
    );
    return rows.length === 1;
  }

  /** Resolves whether the account exists. */
  async update(
    username: string,
    change: { passwordHash?: string; administrator?: boolean; disabled?: boolean },
  ): Promise<boolean> {
    this.byId.clear();
    try {
      return await this.write(username, change);
    } finally {
      // Again: a lookup may have remembered the row while the UPDATE was queued behind it.
      this.byId.clear();
    }
  }

  private async write(
    username: string,
    change: { passwordHash?: string; administrator?: boolean; disabled?: boolean },
  ): Promise<boolean> {
    const { rows } = await this.database.query<{ id: string }>(
      `UPDATE ${this.s}.host_accounts SET
         password_hash = coalesce($2, password_hash),
         administrator = coalesce($3, administrator),
         disabled = coalesce($4, disabled),
         updated_at = now()
       WHERE username = $1 RETURNING id, pg_notify($5, id)::text AS notified`,
      [
        username,
        change.passwordHash ?? null,
        change.administrator ?? null,
        change.disabled ?? null,
        this.channel,
      ],
    );
    return rows.length === 1;
  }

  async rememberGrant(accountId: string, clientId: string, grantId: string): Promise<void> {
    await this.database.query(
      `INSERT INTO ${this.s}.host_remembered_grants (account_id, client_id, grant_id)
       VALUES ($1, $2, $3)
       ON CONFLICT (account_id, client_id) DO UPDATE SET grant_id = EXCLUDED.grant_id`,
      [accountId, clientId, grantId],
    );
  }

  async rememberedGrant(accountId: string, clientId: string): Promise<string | undefined> {
    const { rows } = await this.database.query<{ grant_id: string }>(
      `SELECT grant_id FROM ${this.s}.host_remembered_grants WHERE account_id = $1 AND client_id = $2`,
      [accountId, clientId],
    );
    return rows[0]?.grant_id;
  }
}
