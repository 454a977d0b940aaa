import type { BeforeApplicationShutdown } from '@nestjs/common';
import { migrate } from '../store/postgres/migrations.js';
import type { PostgresClientStore } from '../store/postgres/postgres-client-store.js';
import { quoteSchema } from '../store/postgres/schema-name.js';
import { StatementBatcher } from '../store/postgres/statement-batcher.js';
import { unnestColumns } from '../store/postgres/unnest-columns.js';
import type { SqlDatabase, SqlQueryOptions } from '../store/postgres/sql-database.js';
import type { OidcAdapter, OidcAdapterPayload } from './oidc-adapter.js';
import { ProviderState } from './provider-state.js';
import { PrefetchedProviderRecords } from './prefetched-provider-records.js';
import { PROVIDER_STATE_HISTORY } from './provider-state-migrations.js';
import { ReplayedGrantError } from './replayed-grant.error.js';

/** bigint columns arrive as strings from pg and as numbers from PGlite. */
type Int8 = string | number;

/** An upsert's columns: model, id, payload, grant_id, uid, user_code, session_uid, expires_at, consumed_at. */
type UpsertRow = [
  string,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
  number | null,
];

/** A consume's model, id and time. */
type ConsumeRow = [string, string, number];

/** A record's model and id. */
type RecordKey = [string, string];

/** Each key's row (keys are distinct: the batcher shares duplicates), or undefined. */
function inKeyOrder<Row extends { model: string; id: string }>(
  keys: RecordKey[],
  rows: Row[],
): (Row | undefined)[] {
  const byKey = new Map(rows.map((row) => [rowKey([row.model, row.id]), row]));
  return keys.map((key) => byKey.get(rowKey(key)));
}

/** A row's model and id, NUL-separated (no stored key holds NUL). */
function rowKey(row: readonly [string, string, ...unknown[]]): string {
  return `${row[0]}\u0000${row[1]}`;
}

interface StateRow {
  id: string;
  payload: string;
  consumed_at: Int8 | null;
  expires_at: Int8 | null;
}

/** A grant source's row with its Grant's and its Session's, when they exist and have not expired. */
interface GrantSourceRow extends StateRow {
  session_uid: string | null;
  grant_id: string | null;
  grant_payload: string | null;
  grant_consumed_at: Int8 | null;
  grant_expires_at: Int8 | null;
  session_id: string | null;
  session_payload: string | null;
  session_consumed_at: Int8 | null;
  session_expires_at: Int8 | null;
}

/** A record as stored: its id, its payload's JSON (without `consumed`), when it was consumed and when it expires (seconds). */
export interface StoredProviderRecord {
  id: string;
  json: string;
  consumedAt: number | null;
  expiresAt: number | null;
}

/** Which key a record is found by. */
export type ProviderRecordKey = 'id' | 'uid' | 'user_code';

/**
 * The models whose records hang off a grant: what a code replay revokes, as
 * oidc-provider's own revoke() does (helpers/revoke.js), the Grant included.
 */
export const GRANT_MODELS = [
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
];

/** What revoking a grant deletes from. */
const REVOKED_MODELS = [...GRANT_MODELS, 'Grant'];

/**
 * The models a grant request finds by id and then, at once, the Grant they
 * name and the Session they expire with (oidc-provider's grant sources): read
 * with both, in one statement.
 */
const GRANT_SOURCES = new Set([
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/** The adapter's fixed, frequent statements: prepared once per connection. */
const PREPARED: SqlQueryOptions = { prepare: true };

export interface SqlProviderStateOptions {
  /** Seconds since the epoch; replaceable in tests. */
  now?: () => number;
  /** Where a grant source's Grant and Session wait for their finds; replaceable in tests. */
  prefetched?: PrefetchedProviderRecords;
}

/** PostgreSQL text can't hold U+0000, so no stored key contains it: answer without asking. */
function isStorable(key: string): boolean {
  return typeof key === 'string' && !key.includes('\u0000');
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function int8OrNull(value: Int8 | null): number | null {
  return value === null ? null : Number(value);
}

function toRecord(row: StateRow): StoredProviderRecord {
  return {
    id: row.id,
    json: row.payload,
    consumedAt: int8OrNull(row.consumed_at),
    expiresAt: int8OrNull(row.expires_at),
  };
}

/** A fresh payload object each call, as the provider may change what it gets. */
export function toPayload(
  record: StoredProviderRecord | undefined,
): OidcAdapterPayload | undefined {
  if (!record) return undefined;
  const payload = JSON.parse(record.json) as OidcAdapterPayload;
  if (record.consumedAt !== null) payload.consumed = record.consumedAt;
  return payload;
}

/**
 * oidc-provider's state in one table of a PostgreSQL schema (a server or the
 * embedded PGlite, through the same SqlDatabase the client store uses), keyed
 * by model and id, with indexes on grant id, uid and user code. So a restart
 * keeps sessions and refresh tokens, and instances on one database share them.
 * `consume` is one conditional UPDATE: of two requests redeeming one code,
 * exactly one wins; the other gets invalid_grant and everything issued under
 * the grant is revoked. Expired rows are invisible at once and deleted by
 * deleteExpired() (startSweeping runs it on a timer). Finding a grant source
 * (a code, a refresh token) reads its Grant and Session in the same statement
 * (PrefetchedProviderRecords), for the finds that follow.
 * Call migrate() before use.
 */
export class SqlProviderState extends ProviderState implements BeforeApplicationShutdown {
  private readonly table: string;
  protected readonly now: () => number;
  private readonly prefetched: PrefetchedProviderRecords;
  private readonly upserts = new StatementBatcher<UpsertRow, void>(
    (rows) => this.upsertRows(rows),
    rowKey,
  );
  /** Resolves whether the record was consumed by this call (false: it was gone or consumed). */
  private readonly consumes = new StatementBatcher<ConsumeRow, boolean>(
    (rows) => this.consumeRows(rows),
    rowKey,
  );
  // Reads of one key in one turn share a statement; a read sees every write that resolved before it was asked.
  private readonly findsById = new StatementBatcher<RecordKey, StateRow | undefined>(
    (keys) => this.findRows(keys),
    rowKey,
    { shareDuplicates: true },
  );
  private readonly grantSourceFinds = new StatementBatcher<RecordKey, GrantSourceRow | undefined>(
    (keys) => this.findGrantSourceRows(keys),
    rowKey,
    { shareDuplicates: true },
  );
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    readonly database: SqlDatabase,
    readonly schema = 'public',
    options: SqlProviderStateOptions = {},
  ) {
    super();
    this.table = `${quoteSchema(schema)}.dcr_provider_state`;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.prefetched = options.prefetched ?? new PrefetchedProviderRecords();
  }

  /** Beside the clients, on the store's own connection (a PGlite directory opens once). */
  static besideClients(
    store: PostgresClientStore,
    options?: SqlProviderStateOptions,
  ): SqlProviderState {
    return new SqlProviderState(store.database, store.schema, options);
  }

  /** Applies pending migrations of the state's own history; returns the versions applied. */
  migrate(): Promise<number[]> {
    return migrate(this.database, this.schema, PROVIDER_STATE_HISTORY);
  }

  adapterFor(model: string): OidcAdapter {
    const models = [model];
    return {
      upsert: async (id, payload, expiresIn) => {
        await this.writing(models, () => this.upsert(model, id, payload, expiresIn));
      },
      find: async (id) => toPayload(await this.find(model, 'id', id)),
      findByUid: async (uid) => toPayload(await this.find(model, 'uid', uid)),
      findByUserCode: async (userCode) => toPayload(await this.find(model, 'user_code', userCode)),
      consume: async (id) => {
        await this.writing(models, () => this.consume(model, id));
      },
      destroy: (id) => this.writing(models, () => this.destroy(model, id)),
      revokeByGrantId: (grantId) =>
        this.writing(models, () => this.revokeByGrantId(model, grantId)),
    };
  }

  /** Runs a write to `models`: what was read of them before it ends is never given out after. */
  private async writing<T>(models: readonly string[], write: () => Promise<T>): Promise<T> {
    for (const model of models) this.prefetched.written(model);
    try {
      return await write();
    } finally {
      for (const model of models) this.prefetched.written(model);
    }
  }

  /** Deletes the rows expired at `now`; returns how many. Safe on many instances at once. */
  async deleteExpired(now: number = this.now()): Promise<number> {
    const { rows } = await this.database.query<{ deleted: number }>(
      `WITH gone AS (
         DELETE FROM ${this.table} WHERE expires_at IS NOT NULL AND expires_at <= $1 RETURNING 1
       )
       SELECT count(*)::integer AS deleted FROM gone`,
      [now],
    );
    return rows[0].deleted;
  }

  /**
   * Runs deleteExpired() every `intervalSeconds` until stopSweeping() (or the
   * application's shutdown). A failed sweep goes to `onError` and the next
   * one tries again. The timer never keeps the process alive.
   */
  startSweeping(intervalSeconds = 300, onError: (error: unknown) => void = () => {}): void {
    this.stopSweeping();
    this.sweeper = setInterval(() => {
      this.deleteExpired().catch(onError);
    }, intervalSeconds * 1000);
    this.sweeper.unref();
  }

  stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Before the store's connection closes (onApplicationShutdown). */
  beforeApplicationShutdown(): void {
    this.stopSweeping();
  }

  /** Resolves what was stored. */
  protected async upsert(
    model: string,
    id: string,
    payload: OidcAdapterPayload,
    expiresIn?: number,
  ): Promise<StoredProviderRecord> {
    const { consumed, ...rest } = payload;
    const record: StoredProviderRecord = {
      id,
      json: JSON.stringify(rest),
      consumedAt: typeof consumed === 'number' ? consumed : null,
      expiresAt: typeof expiresIn === 'number' ? this.now() + expiresIn : null,
    };
    await this.upserts.submit([
      model,
      id,
      record.json,
      stringOrNull(payload.grantId),
      stringOrNull(payload.uid),
      stringOrNull(payload.userCode),
      // Only a record that ends with its session is ever checked against it.
      payload.expiresWithSession === true ? stringOrNull(payload.sessionUid) : null,
      record.expiresAt,
      record.consumedAt,
    ]);
    return record;
  }

  /** One statement for concurrent upserts (StatementBatcher: a record at most once in it). */
  private async upsertRows(rows: UpsertRow[]): Promise<void[]> {
    await this.database.query(
      `INSERT INTO ${this.table}
         (model, id, payload, grant_id, uid, user_code, session_uid, expires_at, consumed_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                            $6::text[], $7::text[], $8::bigint[], $9::bigint[])
       ON CONFLICT (model, id) DO UPDATE
       SET payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
           user_code = excluded.user_code, session_uid = excluded.session_uid,
           expires_at = excluded.expires_at, consumed_at = excluded.consumed_at`,
      unnestColumns(rows, 9),
      PREPARED,
    );
    return rows.map(() => undefined);
  }

  /** One conditional UPDATE for concurrent consumes; says, per row, whether it consumed it. */
  private async consumeRows(rows: ConsumeRow[]): Promise<boolean[]> {
    const { rows: consumed } = await this.database.query<{ model: string; id: string }>(
      `UPDATE ${this.table} t SET consumed_at = batch.consumed_at
       FROM unnest($1::text[], $2::text[], $3::bigint[]) AS batch (model, id, consumed_at)
       WHERE t.model = batch.model AND t.id = batch.id AND t.consumed_at IS NULL
       RETURNING t.model, t.id`,
      unnestColumns(rows, 3),
      PREPARED,
    );
    const won = new Set(consumed.map((row) => rowKey([row.model, row.id])));
    return rows.map((row) => won.has(rowKey(row)));
  }

  protected async find(
    model: string,
    column: ProviderRecordKey,
    key: string,
  ): Promise<StoredProviderRecord | undefined> {
    if (!isStorable(key)) return undefined;
    const prefetched = this.prefetched.take(model, column, key);
    if (prefetched && (prefetched.expiresAt === null || prefetched.expiresAt > this.now())) {
      return prefetched;
    }
    if (column === 'id') {
      if (GRANT_SOURCES.has(model)) return this.findGrantSource(model, key);
      const row = await this.findsById.submit([model, key]);
      return row && toRecord(row);
    }
    const { rows } = await this.database.query<StateRow>(
      `SELECT id, payload, consumed_at, expires_at FROM ${this.table}
       WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > $3)
       LIMIT 1`,
      [model, key, this.now()],
      PREPARED,
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** One statement for the finds by id of one event-loop turn: an index probe per key. */
  private async findRows(keys: RecordKey[]): Promise<(StateRow | undefined)[]> {
    const { rows } = await this.database.query<StateRow & { model: string }>(
      `SELECT k.model, t.id, t.payload, t.consumed_at, t.expires_at
       FROM unnest($1::text[], $2::text[]) AS k (model, id)
       CROSS JOIN LATERAL (
         SELECT id, payload, consumed_at, expires_at FROM ${this.table}
         WHERE model = k.model AND id = k.id AND (expires_at IS NULL OR expires_at > $3)
         LIMIT 1
       ) t`,
      [...unnestColumns(keys, 2), this.now()],
      PREPARED,
    );
    return inKeyOrder(keys, rows);
  }

  /** findRows for grant sources, each with its Grant and Session (LATERAL, an index probe each). */
  private async findGrantSourceRows(keys: RecordKey[]): Promise<(GrantSourceRow | undefined)[]> {
    const { rows } = await this.database.query<GrantSourceRow & { model: string }>(
      `SELECT k.model, t.id, t.payload, t.consumed_at, t.expires_at, t.grant_id, t.session_uid,
              g.payload AS grant_payload, g.consumed_at AS grant_consumed_at,
              g.expires_at AS grant_expires_at,
              s.id AS session_id, s.payload AS session_payload,
              s.consumed_at AS session_consumed_at, s.expires_at AS session_expires_at
       FROM unnest($1::text[], $2::text[]) AS k (model, id)
       CROSS JOIN LATERAL (
         SELECT id, payload, consumed_at, expires_at, grant_id, session_uid FROM ${this.table}
         WHERE model = k.model AND id = k.id AND (expires_at IS NULL OR expires_at > $3)
         LIMIT 1
       ) t
       LEFT JOIN LATERAL (
         SELECT payload, consumed_at, expires_at FROM ${this.table}
         WHERE model = 'Grant' AND id = t.grant_id AND (expires_at IS NULL OR expires_at > $3)
         LIMIT 1
       ) g ON true
       LEFT JOIN LATERAL (
         SELECT id, payload, consumed_at, expires_at FROM ${this.table}
         WHERE model = 'Session' AND uid = t.session_uid
           AND (expires_at IS NULL OR expires_at > $3)
         LIMIT 1
       ) s ON true`,
      [...unnestColumns(keys, 2), this.now()],
      PREPARED,
    );
    return inKeyOrder(keys, rows);
  }

  /** The source, with its Grant and its Session held for the finds that follow. */
  private async findGrantSource(
    model: string,
    id: string,
  ): Promise<StoredProviderRecord | undefined> {
    const grants = this.prefetched.generation('Grant');
    const sessions = this.prefetched.generation('Session');
    const row = await this.grantSourceFinds.submit([model, id]);
    if (!row) return undefined;
    if (row.grant_id !== null && row.grant_payload !== null) {
      const grant = toRecord({
        id: row.grant_id,
        payload: row.grant_payload,
        consumed_at: row.grant_consumed_at,
        expires_at: row.grant_expires_at,
      });
      this.prefetched.hold('Grant', 'id', row.grant_id, grant, grants);
    }
    if (row.session_uid !== null && row.session_id !== null && row.session_payload !== null) {
      const session = toRecord({
        id: row.session_id,
        payload: row.session_payload,
        consumed_at: row.session_consumed_at,
        expires_at: row.session_expires_at,
      });
      this.prefetched.hold('Session', 'uid', row.session_uid, session, sessions);
    }
    return toRecord(row);
  }

  /**
   * One conditional UPDATE: the row lock makes concurrent consumers queue, and
   * only the first finds it unconsumed. oidc-provider checks `consumed` before
   * calling this, so reaching the miss means a request raced this one: refuse
   * and revoke, as the provider does for a replay it sees itself.
   * Resolves the time it was consumed.
   */
  protected async consume(model: string, id: string): Promise<number> {
    if (!isStorable(id)) throw new ReplayedGrantError(model);
    const consumedAt = this.now();
    if (await this.consumes.submit([model, id, consumedAt])) return consumedAt;
    const { rows: lost } = await this.database.query<{ grant_id: string | null }>(
      `SELECT grant_id FROM ${this.table} WHERE model = $1 AND id = $2`,
      [model, id],
    );
    const grantId = lost[0]?.grant_id;
    if (grantId) await this.revokeGrant(grantId);
    throw new ReplayedGrantError(model);
  }

  protected async destroy(model: string, id: string): Promise<void> {
    if (!isStorable(id)) return;
    await this.database.query(
      `DELETE FROM ${this.table} WHERE model = $1 AND id = $2`,
      [model, id],
      PREPARED,
    );
  }

  protected async revokeByGrantId(model: string, grantId: string): Promise<void> {
    if (!isStorable(grantId)) return;
    await this.database.query(
      `DELETE FROM ${this.table} WHERE model = $1 AND grant_id = $2`,
      [model, grantId],
      PREPARED,
    );
  }

  /** Every record issued under the grant, and the grant itself. */
  protected async revokeGrant(grantId: string): Promise<void> {
    await this.writing(REVOKED_MODELS, () =>
      this.database.query(
        `DELETE FROM ${this.table}
         WHERE (model = ANY($1::text[]) AND grant_id = $2) OR (model = 'Grant' AND id = $2)`,
        [GRANT_MODELS, grantId],
      ),
    );
  }
}
