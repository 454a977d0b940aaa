import { isConnectionFailure } from './connection-failure.js';

/** Runs one statement for `items`; resolves each item's result, in their order. */
export type RunBatch<Item, Result> = (items: Item[]) => Promise<Result[]>;

interface Waiter<Result> {
  resolve(result: Result): void;
  reject(error: unknown): void;
}

interface Queued<Item, Result> {
  item: Item;
  key: string;
  waiters: Waiter<Result>[];
}

export interface StatementBatcherOptions {
  /** Bounds one statement. Default 200. */
  maxBatchSize?: number;
  /**
   * Reads: an item whose key is already queued shares its result instead of
   * waiting for the next batch. Default false (writes).
   */
  shareDuplicates?: boolean;
}

/** Bounds one statement; a larger burst is split into batches that run on several connections. */
const DEFAULT_MAX_BATCH_SIZE = 200;

/**
 * Group commit: the items that concurrent callers submit within one
 * event-loop turn are written by one statement, so a commit (and its WAL
 * flush) serves them all. Each caller still learns only after its batch
 * committed. Several batches may be in flight at once; the pool bounds them.
 *
 * - An item whose key is already queued waits for the next batch: one
 *   statement never touches a row twice, and the database decides between
 *   the two (a unique index, a conditional update). Reads may share instead.
 * - A batch that fails for a reason other than the connection is retried one
 *   item at a time, so a row the database refuses fails only its own caller.
 */
export class StatementBatcher<Item, Result> {
  private queue: Queued<Item, Result>[] = [];
  /** With shareDuplicates: the queued item of each key. */
  private readonly queuedKeys = new Map<string, Queued<Item, Result>>();
  private flushScheduled = false;
  private readonly maxBatchSize: number;
  private readonly shareDuplicates: boolean;

  constructor(
    private readonly runBatch: RunBatch<Item, Result>,
    private readonly keyOf: (item: Item) => string,
    options: StatementBatcherOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    this.shareDuplicates = options.shareDuplicates ?? false;
  }

  /** Resolves the item's result once its batch is committed. */
  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      const key = this.keyOf(item);
      const queued = this.shareDuplicates ? this.queuedKeys.get(key) : undefined;
      if (queued) {
        queued.waiters.push({ resolve, reject });
        return;
      }
      const entry = { item, key, waiters: [{ resolve, reject }] };
      this.queue.push(entry);
      if (this.shareDuplicates) this.queuedKeys.set(key, entry);
      if (this.queue.length >= this.maxBatchSize) this.flush();
      else this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const batch: Queued<Item, Result>[] = [];
    const keys = new Set<string>();
    const later: Queued<Item, Result>[] = [];
    for (const queued of this.queue) {
      if (batch.length < this.maxBatchSize && !keys.has(queued.key)) {
        keys.add(queued.key);
        batch.push(queued);
      } else {
        later.push(queued);
      }
    }
    this.queue = later;
    this.queuedKeys.clear();
    if (this.shareDuplicates) for (const queued of later) this.queuedKeys.set(queued.key, queued);
    if (later.length > 0) this.scheduleFlush();
    if (batch.length > 0) void this.write(batch);
  }

  private async write(batch: Queued<Item, Result>[]): Promise<void> {
    let results: Result[];
    try {
      results = await this.runBatch(batch.map((queued) => queued.item));
    } catch (error) {
      // One statement, so nothing of the batch was written: each item can be tried alone.
      if (batch.length > 1 && !isConnectionFailure(error)) {
        for (const queued of batch) void this.write([queued]);
      } else {
        for (const queued of batch) for (const waiter of queued.waiters) waiter.reject(error);
      }
      return;
    }
    batch.forEach((queued, index) => {
      for (const waiter of queued.waiters) waiter.resolve(results[index] as Result);
    });
  }
}
