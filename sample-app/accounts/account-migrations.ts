import type { SqlDatabase, SqlQueryable } from '../../lib/index.js';

/** One step of the accounts tables' history. Applied steps never change: add a new one instead. */
interface AccountMigration {
  version: number;
  name: string;
  statements(s: string): string[];
}

const MIGRATIONS: readonly AccountMigration[] = [
  {
    version: 1,
    name: 'accounts and remembered grants',
    statements: (s) => [
      `CREATE TABLE ${s}.host_accounts (
        id text PRIMARY KEY,
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        administrator boolean NOT NULL DEFAULT false,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      // The grant a user gave a client, so a new session skips consent for the same scopes.
      `CREATE TABLE ${s}.host_remembered_grants (
        account_id text NOT NULL REFERENCES ${s}.host_accounts (id) ON DELETE CASCADE,
        client_id text NOT NULL,
        grant_id text NOT NULL,
        PRIMARY KEY (account_id, client_id)
      )`,
    ],
  },
];

/**
 * Brings the accounts tables in `s` (a quoted schema, the client store's) up
 * to date, with their own version table; an advisory lock makes instances
 * that start together take turns.
 */
export async function migrateAccounts(
  database: SqlDatabase,
  schema: string,
  s: string,
): Promise<number[]> {
  return database.transaction(async (tx: SqlQueryable) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sample-app:accounts:${schema}`]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${s}.host_account_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const applied = await tx.query<{ version: number }>(
      `SELECT version FROM ${s}.host_account_migrations`,
    );
    const done = new Set(applied.rows.map((row) => Number(row.version)));
    const pending = MIGRATIONS.filter((migration) => !done.has(migration.version));
    for (const migration of pending) {
      for (const statement of migration.statements(s)) await tx.query(statement);
      await tx.query(`INSERT INTO ${s}.host_account_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    return pending.map((migration) => migration.version);
  });
}
