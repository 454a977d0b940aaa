import { quoteSchema, quoteTable } from './schema-name.js';
import type { SqlDatabase, SqlQueryable } from './sql-database.js';

/** One step of the schema's history. Applied steps never change: add a new one instead. */
export interface Migration {
  version: number;
  name: string;
  /** Statements run in order, in the migration's transaction; `s` is the quoted schema. */
  statements(s: string): string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'clients, initial access tokens, software statement ids',
    statements: (s) => [
      `CREATE TABLE ${s}.dcr_clients (
        client_id text PRIMARY KEY,
        metadata jsonb NOT NULL,
        issued_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        last_used_at bigint,
        secret_hash text,
        secret_expires_at bigint NOT NULL DEFAULT 0,
        registration_token_hash text,
        policy jsonb
      )`,
      // Pruning looks clients up by when they were last used (or issued).
      `CREATE INDEX dcr_clients_idle_idx ON ${s}.dcr_clients ((coalesce(last_used_at, issued_at)))`,
      `CREATE TABLE ${s}.dcr_initial_access_tokens (
        token_hash text PRIMARY KEY,
        expires_at bigint NOT NULL,
        max_uses integer NOT NULL,
        uses integer NOT NULL DEFAULT 0,
        policy jsonb
      )`,
      // Keyed by a hash: ids come from callers' JWTs, of any length and content.
      `CREATE TABLE ${s}.dcr_software_statement_ids (
        key_hash text PRIMARY KEY,
        expires_at bigint NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'expiry indexes for sweeping tokens and software statement ids',
    statements: (s) => [
      `CREATE INDEX dcr_initial_access_tokens_expiry_idx ON ${s}.dcr_initial_access_tokens (expires_at)`,
      `CREATE INDEX dcr_software_statement_ids_expiry_idx ON ${s}.dcr_software_statement_ids (expires_at)`,
    ],
  },
];

/** The newest schema version this code knows. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** One independent history of a schema: its steps and the table that records the applied ones. */
export interface MigrationHistory {
  migrations: readonly Migration[];
  /** Unquoted table name in the schema, e.g. dcr_schema_migrations. */
  table: string;
}

/** The client store's history. */
export const CLIENT_STORE_HISTORY: MigrationHistory = {
  migrations: MIGRATIONS,
  table: 'dcr_schema_migrations',
};

/**
 * Brings `schema` up to date in one transaction and returns the versions it
 * applied (none when already current). A transaction-scoped advisory lock per
 * schema makes instances that start together take turns: the first migrates,
 * the others then find nothing left to do. Another `history` (its own table)
 * lets a second set of tables, such as oidc-provider's state, share the schema.
 */
export async function migrate(
  database: SqlDatabase,
  schema: string,
  history: MigrationHistory = CLIENT_STORE_HISTORY,
): Promise<number[]> {
  const s = quoteSchema(schema);
  const table = `${s}.${quoteTable(history.table)}`;
  return database.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`nestjs-dcr:migrate:${schema}`]);
    await ensureSchema(tx, schema, s);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${table} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const applied = await tx.query<{ version: number }>(`SELECT version FROM ${table}`);
    const done = new Set(applied.rows.map((row) => Number(row.version)));
    const pending = history.migrations.filter((migration) => !done.has(migration.version));
    for (const migration of pending) {
      for (const statement of migration.statements(s)) await tx.query(statement);
      await tx.query(`INSERT INTO ${table} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    return pending.map((migration) => migration.version);
  });
}

/** Creates the schema only when missing: CREATE SCHEMA needs a privilege an existing schema doesn't. */
async function ensureSchema(tx: SqlQueryable, schema: string, s: string): Promise<void> {
  const found = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (found.rows.length === 0) await tx.query(`CREATE SCHEMA ${s}`);
}
