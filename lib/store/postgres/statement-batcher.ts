import { isConnectionFailure } from './connection-failure.js';

/** Runs one statement for `items`; resolves each item's result, in their order. */
export type RunBatch<Item, Result> = (items: Item[]) => Promise<Result[]>;

interface Queued<Item, Result> {
  item: Item;
  key: string;
  resolve(result: Result): void;
  reject(error: unknown): void;
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
 *   the two (a unique index, a conditional update).
 * - A batch that fails for a reason other than the connection is retried one
 *   item at a time, so a row the database refuses fails only its own caller.
 */
export class StatementBatcher<Item, Result> {
  private queue: Queued<Item, Result>[] = [];
  private flushScheduled = false;

  constructor(
    private readonly runBatch: RunBatch<Item, Result>,
    private readonly keyOf: (item: Item) => string,
    private readonly maxBatchSize = DEFAULT_MAX_BATCH_SIZE,
  ) {}

  /** Resolves the item's result once its batch is committed. */
  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, key: this.keyOf(item), resolve, reject });
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
        for (const queued of batch) queued.reject(error);
      }
      return;
    }
    batch.forEach((queued, index) => queued.resolve(results[index] as Result));
  }
}
