import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import type { PgPoolLike } from './postgres/pg-pool-database.js';
import { isSchemaName } from './postgres/schema-name.js';

/**
 * Where the module keeps clients, given as data so a forRootAsync factory can
 * build it from the environment (e.g. DATABASE_URL).
 * - `memory`: one process, lost on restart (the default).
 * - `pglite`: PostgreSQL embedded in the process (WASM), in `dataDir` or, without one, in memory.
 * - `postgres`: a PostgreSQL server, from a connection string (the module owns and ends the
 *   pool; `timeoutMs`, default 5000, bounds each connect and each statement's answer, so a
 *   database that stops answering yields 503 rather than a hung request) or a `pg.Pool`
 *   you own (the module never ends it; its timeouts are yours to set).
 * `schema` (default `public`) holds the tables `dcr_clients`, `dcr_initial_access_tokens`,
 * `dcr_software_statement_ids` and `dcr_schema_migrations`.
 */
export type DcrStorageOptions =
  | { kind: 'memory' }
  | { kind: 'pglite'; dataDir?: string; schema?: string }
  | {
      kind: 'postgres';
      connectionString: string;
      schema?: string;
      timeoutMs?: number;
      /** Size of the module's pool. Default 10. */
      maxConnections?: number;
    }
  | { kind: 'postgres'; pool: PgPoolLike; schema?: string };

/** The store's data options; DcrModuleOptions includes them. */
export interface DcrStoreModuleOptions {
  /** Where clients are kept. Default `{ kind: 'memory' }`. */
  storage?: DcrStorageOptions;
  /**
   * Clients neither used nor issued for this many seconds are deleted by
   * ClientPruner.prune(). Unset (default): clients never expire for being unused.
   */
  clientMaxIdleSeconds?: number;
}

export type ResolvedStorage =
  | { kind: 'memory' }
  | { kind: 'pglite'; dataDir?: string; schema: string }
  | {
      kind: 'postgres';
      connectionString: string;
      schema: string;
      timeoutMs: number;
      maxConnections: number;
    }
  | { kind: 'postgres'; pool: PgPoolLike; schema: string };

export interface ResolvedStoreOptions {
  storage: ResolvedStorage;
  clientMaxIdleSeconds?: number;
}

export const DEFAULT_STORE_SCHEMA = 'public';
export const DEFAULT_DATABASE_TIMEOUT_MS = 5000;
/**
 * pg's default. Concurrent registrations already share a commit (group commit,
 * StatementBatcher), so a larger pool measured no faster at 50 concurrent
 * requests; ten instances fit PostgreSQL's default max_connections of 100.
 */
export const DEFAULT_MAX_CONNECTIONS = 10;

function positiveInteger(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw new DcrConfigurationError(option, 'must be a positive integer');
  }
  return value as number;
}

function schemaOption(value: unknown): string {
  if (value === undefined) return DEFAULT_STORE_SCHEMA;
  if (!isSchemaName(value)) {
    throw new DcrConfigurationError(
      'storage.schema',
      'must be a plain PostgreSQL identifier (letters, digits, _; at most 63)',
    );
  }
  return value;
}

function isPool(value: unknown): value is PgPoolLike {
  const pool = value as Partial<PgPoolLike> | null;
  return (
    typeof pool === 'object' &&
    pool !== null &&
    typeof pool.query === 'function' &&
    typeof pool.connect === 'function' &&
    typeof pool.end === 'function'
  );
}

function resolvePostgres(input: Record<string, unknown>): ResolvedStorage {
  const { connectionString, pool, timeoutMs, maxConnections } = input;
  const schema = schemaOption(input.schema);
  if ((connectionString === undefined) === (pool === undefined)) {
    throw new DcrConfigurationError(
      'storage',
      'of kind postgres needs exactly one of connectionString and pool',
    );
  }
  if (pool !== undefined) {
    const ownedOption =
      timeoutMs !== undefined
        ? 'timeoutMs'
        : maxConnections !== undefined
          ? 'maxConnections'
          : undefined;
    if (ownedOption) {
      throw new DcrConfigurationError(
        `storage.${ownedOption}`,
        'applies only with connectionString',
      );
    }
    if (!isPool(pool)) throw new DcrConfigurationError('storage.pool', 'must be a pg.Pool');
    return { kind: 'postgres', pool, schema };
  }
  if (typeof connectionString !== 'string' || connectionString === '') {
    throw new DcrConfigurationError(
      'storage.connectionString',
      'must be a non-empty PostgreSQL connection string (is DATABASE_URL set?)',
    );
  }
  return {
    kind: 'postgres',
    connectionString,
    schema,
    timeoutMs: positiveInteger('storage.timeoutMs', timeoutMs, DEFAULT_DATABASE_TIMEOUT_MS),
    maxConnections: positiveInteger(
      'storage.maxConnections',
      maxConnections,
      DEFAULT_MAX_CONNECTIONS,
    ),
  };
}

function resolveStorage(value: unknown): ResolvedStorage {
  if (value === undefined) return { kind: 'memory' };
  if (typeof value !== 'object' || value === null) {
    throw new DcrConfigurationError('storage', 'must be an object with a kind');
  }
  const input = value as Record<string, unknown>;
  switch (input.kind) {
    case 'memory':
      return { kind: 'memory' };
    case 'pglite': {
      const { dataDir } = input;
      if (dataDir !== undefined && (typeof dataDir !== 'string' || dataDir === '')) {
        throw new DcrConfigurationError('storage.dataDir', 'must be a non-empty path');
      }
      return { kind: 'pglite', dataDir, schema: schemaOption(input.schema) };
    }
    case 'postgres':
      return resolvePostgres(input);
    default:
      throw new DcrConfigurationError('storage.kind', 'must be "memory", "pglite" or "postgres"');
  }
}

/**
 * Defaults and checks the store options. `customStore` is true when forRoot
 * was given a store class, which `storage` can't be combined with.
 */
export function resolveStoreOptions(
  options: DcrStoreModuleOptions | undefined,
  customStore: boolean,
): ResolvedStoreOptions {
  const input = options ?? {};
  if (customStore && input.storage !== undefined) {
    throw new DcrConfigurationError('storage', 'cannot be combined with a custom store class');
  }
  const maxIdle = input.clientMaxIdleSeconds;
  if (maxIdle !== undefined && (!Number.isSafeInteger(maxIdle) || maxIdle <= 0)) {
    throw new DcrConfigurationError('clientMaxIdleSeconds', 'must be a positive integer');
  }
  return { storage: resolveStorage(input.storage), clientMaxIdleSeconds: maxIdle };
}

/** The resolved store options; inject with @Inject(DCR_STORE_OPTIONS). */
export const DCR_STORE_OPTIONS = Symbol.for('nestjs-dcr.store-options');
