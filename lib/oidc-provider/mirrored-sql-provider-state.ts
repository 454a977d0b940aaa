import type { SqlDatabase } from '../store/postgres/sql-database.js';
import type { OidcAdapterPayload } from './oidc-adapter.js';
import { ProviderStateMirror } from './provider-state-mirror.js';
import {
  GRANT_MODELS,
  SqlProviderState,
  type ProviderRecordKey,
  type SqlProviderStateOptions,
  type StoredProviderRecord,
} from './sql-provider-state.js';

export interface MirroredSqlProviderStateOptions extends SqlProviderStateOptions {
  /** How many records the mirror holds (least recently used out). Default 10,000. */
  mirrorRecords?: number;
  /** The mirror to use: states over one database and schema must share theirs. */
  mirror?: ProviderStateMirror;
}

/**
 * SqlProviderState for a database that only this process writes (PGlite: one
 * process owns its data directory), with a bounded in-memory mirror of the
 * records so that finds of recently written or read records need no SQL.
 * Every write runs its SQL as before and updates the mirror once it
 * succeeded; the mirror drops a record before a write starts, so a failed
 * write leaves nothing stale. Consume is still decided by the SQL UPDATE
 * alone, its losers still revoke the grant. This relies on PGlite running
 * statements one at a time, in order: writes take effect in the mirror in the
 * order they took effect in the table. Never for a PostgreSQL server, where
 * other instances write.
 */
export class MirroredSqlProviderState extends SqlProviderState {
  readonly mirror: ProviderStateMirror;

  constructor(
    database: SqlDatabase,
    schema = 'public',
    options: MirroredSqlProviderStateOptions = {},
  ) {
    super(database, schema, options);
    this.mirror = options.mirror ?? new ProviderStateMirror(options.mirrorRecords ?? 10_000);
  }

  protected override async upsert(
    model: string,
    id: string,
    payload: OidcAdapterPayload,
    expiresIn?: number,
  ): Promise<StoredProviderRecord> {
    this.mirror.version++;
    this.mirror.delete(model, id);
    const record = await super.upsert(model, id, payload, expiresIn);
    this.mirror.set(model, id, record, payload);
    return record;
  }

  protected override async find(
    model: string,
    column: ProviderRecordKey,
    key: string,
  ): Promise<StoredProviderRecord | undefined> {
    const mirrored = this.mirror.find(model, column, key, this.now());
    if (mirrored) return mirrored;
    const version = this.mirror.version;
    const record = await super.find(model, column, key);
    if (record && this.mirror.version === version) {
      this.mirror.set(model, record.id, record, JSON.parse(record.json) as OidcAdapterPayload);
    }
    return record;
  }

  protected override async consume(model: string, id: string): Promise<number> {
    this.mirror.version++;
    const held = this.mirror.take(model, id);
    const consumedAt = await super.consume(model, id);
    if (held) this.mirror.put({ ...held, consumedAt });
    return consumedAt;
  }

  // Deletions drop the mirrored records before and after: a write that
  // finished in between may have put them back.

  protected override async destroy(model: string, id: string): Promise<void> {
    this.mirror.version++;
    this.mirror.delete(model, id);
    await super.destroy(model, id);
    this.mirror.delete(model, id);
  }

  protected override async revokeByGrantId(model: string, grantId: string): Promise<void> {
    this.mirror.version++;
    this.mirror.deleteByGrant([model], grantId);
    await super.revokeByGrantId(model, grantId);
    this.mirror.deleteByGrant([model], grantId);
  }

  protected override async revokeGrant(grantId: string): Promise<void> {
    this.mirror.version++;
    this.forgetGrant(grantId);
    await super.revokeGrant(grantId);
    this.forgetGrant(grantId);
  }

  private forgetGrant(grantId: string): void {
    this.mirror.deleteByGrant(GRANT_MODELS, grantId);
    this.mirror.delete('Grant', grantId);
  }
}
