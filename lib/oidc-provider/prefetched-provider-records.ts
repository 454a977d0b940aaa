import type { ProviderRecordKey, StoredProviderRecord } from './sql-provider-state.js';

interface Prefetched {
  record: StoredProviderRecord;
  /** Finds still expected to ask for it: one per prefetch since it was last taken. */
  uses: number;
  /** When it was read (clock milliseconds). */
  readAt: number;
}

export interface PrefetchedProviderRecordsOptions {
  /** How many records it holds at most (oldest out). Default 1,000. */
  maxRecords?: number;
  /** How long a record may wait for its find (milliseconds). Default 1,000. */
  maxAgeMs?: number;
  /** Milliseconds; replaceable in tests. */
  clock?: () => number;
}

/**
 * Records read ahead, together with the token that names them (its Grant and
 * the Session it expires with), for the finds that oidc-provider makes right
 * after finding the token: each is taken by the find it was read for, so a
 * grant request reads its state in one statement instead of three. Never a
 * cache: a record is given out once per read, within a second of the read,
 * and a write to its model in this process drops every record of the model
 * (and keeps reads that began before the write from being held). A record
 * another instance changed after the read is answered as it was: the same
 * snapshot that the token was read in.
 */
export class PrefetchedProviderRecords {
  /** Per model, by column and key. */
  private readonly models = new Map<string, Map<string, Prefetched>>();
  /** Per model: bumped by every write to it. */
  private readonly generations = new Map<string, number>();
  private readonly maxRecords: number;
  private readonly maxAgeMs: number;
  private readonly clock: () => number;

  constructor(options: PrefetchedProviderRecordsOptions = {}) {
    this.maxRecords = options.maxRecords ?? 1000;
    this.maxAgeMs = options.maxAgeMs ?? 1000;
    this.clock = options.clock ?? (() => performance.now());
  }

  /** How many records of `model` it holds. */
  size(model: string): number {
    return this.models.get(model)?.size ?? 0;
  }

  /** The model's write count, read before the statement that prefetches its records. */
  generation(model: string): number {
    return this.generations.get(model) ?? 0;
  }

  /** Holds `record` for one find of model/column/key, unless the model was written since `generation`. */
  hold(
    model: string,
    column: ProviderRecordKey,
    key: string,
    record: StoredProviderRecord,
    generation: number,
  ): void {
    if (generation !== this.generation(model)) return;
    let records = this.models.get(model);
    if (!records) this.models.set(model, (records = new Map()));
    const now = this.clock();
    dropOlderThan(records, now - this.maxAgeMs);
    const name = `${column}:${key}`;
    const held = records.get(name);
    records.delete(name);
    records.set(name, { record, uses: (held?.uses ?? 0) + 1, readAt: now });
    if (records.size > this.maxRecords) records.delete(records.keys().next().value as string);
  }

  /** The record held for model/column/key, if it is still fresh; gives it out once per hold. */
  take(model: string, column: ProviderRecordKey, key: string): StoredProviderRecord | undefined {
    const records = this.models.get(model);
    if (!records) return undefined;
    const name = `${column}:${key}`;
    const held = records.get(name);
    if (!held) return undefined;
    if (--held.uses === 0) records.delete(name);
    return held.readAt >= this.clock() - this.maxAgeMs ? held.record : undefined;
  }

  /** Before and after a write to `model`: nothing read before it is given out or held. */
  written(model: string): void {
    this.generations.set(model, this.generation(model) + 1);
    this.models.delete(model);
  }
}

/** Records are kept in the order they were read: the oldest come first. */
function dropOlderThan(records: Map<string, Prefetched>, oldest: number): void {
  for (const [name, held] of records) {
    if (held.readAt >= oldest) return;
    records.delete(name);
  }
}
