import type { OidcAdapterPayload } from './oidc-adapter.js';
import type { ProviderRecordKey, StoredProviderRecord } from './sql-provider-state.js';

/** A mirrored record: as stored, plus the keys it is found by. */
export interface MirroredRecord extends StoredProviderRecord {
  model: string;
  id: string;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
}

/** NUL can't occur in a stored model, id or key (PostgreSQL text), so it separates them. */
function keyOf(model: string, key: string): string {
  return `${model}\u0000${key}`;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * A bounded copy of recently written or read provider-state records, as the
 * table holds them (payload JSON, consumed and expiry times), found by id, uid
 * or user code. It holds nothing the table doesn't: every write to the table
 * passes through it (MirroredSqlProviderState), so a record present here is
 * the table's record. Least recently used records go first once it is full.
 * `version` changes with every write, so that a read that raced one isn't
 * remembered.
 */
export class ProviderStateMirror {
  /** Increases with every write begun; a read remembers its row only if none began meanwhile. */
  version = 0;
  private readonly records = new Map<string, MirroredRecord>();
  private readonly byUid = new Map<string, string>();
  private readonly byUserCode = new Map<string, string>();

  constructor(readonly maxRecords: number) {
    if (!Number.isInteger(maxRecords) || maxRecords < 1) {
      throw new Error('maxRecords must be a positive integer');
    }
  }

  get size(): number {
    return this.records.size;
  }

  /** The record, when mirrored and not expired at `now`; an expired one is dropped. */
  find(
    model: string,
    column: ProviderRecordKey,
    key: string,
    now: number,
  ): StoredProviderRecord | undefined {
    const recordKey =
      column === 'id'
        ? keyOf(model, key)
        : (column === 'uid' ? this.byUid : this.byUserCode).get(keyOf(model, key));
    const record = recordKey === undefined ? undefined : this.records.get(recordKey);
    if (!record) return undefined;
    if (record.expiresAt !== null && record.expiresAt <= now) {
      this.remove(record);
      return undefined;
    }
    this.records.delete(recordKey!);
    this.records.set(recordKey!, record);
    return record;
  }

  /** Mirrors `record` as model/id, `payload` being what it holds (for its uid, user code and grant id). */
  set(
    model: string,
    id: string,
    record: StoredProviderRecord,
    payload: OidcAdapterPayload | MirroredRecord,
  ): void {
    this.delete(model, id);
    const mirrored: MirroredRecord = {
      model,
      id,
      json: record.json,
      consumedAt: record.consumedAt,
      expiresAt: record.expiresAt,
      grantId: stringOrNull(payload.grantId),
      uid: stringOrNull(payload.uid),
      userCode: stringOrNull(payload.userCode),
    };
    const recordKey = keyOf(model, id);
    this.records.set(recordKey, mirrored);
    if (mirrored.uid !== null) this.byUid.set(keyOf(model, mirrored.uid), recordKey);
    if (mirrored.userCode !== null) this.byUserCode.set(keyOf(model, mirrored.userCode), recordKey);
    if (this.records.size > this.maxRecords) {
      this.remove(this.records.values().next().value as MirroredRecord);
    }
  }

  /** Mirrors a record again that take() removed, as it is now. */
  put(record: MirroredRecord): void {
    this.set(record.model, record.id, record, record);
  }

  /** Removes model/id; resolves what was mirrored, to put back with put(). */
  take(model: string, id: string): MirroredRecord | undefined {
    const record = this.records.get(keyOf(model, id));
    if (record) this.remove(record);
    return record;
  }

  delete(model: string, id: string): void {
    this.take(model, id);
  }

  /** Removes every record of the models under the grant. */
  deleteByGrant(models: readonly string[], grantId: string): void {
    for (const record of [...this.records.values()]) {
      if (record.grantId === grantId && models.includes(record.model)) this.remove(record);
    }
  }

  private remove(record: MirroredRecord): void {
    const recordKey = keyOf(record.model, record.id);
    this.records.delete(recordKey);
    if (record.uid !== null) dropIndex(this.byUid, keyOf(record.model, record.uid), recordKey);
    if (record.userCode !== null) {
      dropIndex(this.byUserCode, keyOf(record.model, record.userCode), recordKey);
    }
  }
}

/** Drops the index entry only while it still points at this record (another may share the key). */
function dropIndex(index: Map<string, string>, key: string, recordKey: string): void {
  if (index.get(key) === recordKey) index.delete(key);
}
