import type { StoredClient } from '../stored-client.js';
import { isConnectionFailure } from './connection-failure.js';

/** Inserts `clients` in one statement; resolves to the ids it inserted (the others already existed). */
export type InsertClients = (clients: StoredClient[]) => Promise<ReadonlySet<string>>;

interface QueuedInsert {
  client: StoredClient;
  resolve(inserted: boolean): void;
  reject(error: unknown): void;
}

/** Bounds one statement; a larger burst is split into batches that run on several connections. */
const DEFAULT_MAX_BATCH_SIZE = 200;

/**
 * Group commit for registrations: the clients that concurrent create() calls
 * queue within one event-loop turn are written by one INSERT, so a commit (and
 * its WAL flush) serves them all. Each caller still learns only after its batch
 * committed. Several batches may be in flight at once; the pool bounds them.
 *
 * - A client whose id is already queued waits for the next batch, so of two
 *   creates with one id exactly one succeeds (PostgreSQL's unique index decides).
 * - A batch that fails for a reason other than the connection is retried one
 *   client at a time, so a row the database refuses fails only its own caller.
 */
export class ClientInsertBatcher {
  private queue: QueuedInsert[] = [];
  private flushScheduled = false;

  constructor(
    private readonly insertClients: InsertClients,
    private readonly maxBatchSize = DEFAULT_MAX_BATCH_SIZE,
  ) {}

  /** Resolves true once the client is committed, false when a client with its id already exists. */
  insert(client: StoredClient): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ client, resolve, reject });
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
    const batch: QueuedInsert[] = [];
    const ids = new Set<string>();
    const later: QueuedInsert[] = [];
    for (const queued of this.queue) {
      const { clientId } = queued.client;
      if (batch.length < this.maxBatchSize && !ids.has(clientId)) {
        ids.add(clientId);
        batch.push(queued);
      } else {
        later.push(queued);
      }
    }
    this.queue = later;
    if (later.length > 0) this.scheduleFlush();
    if (batch.length > 0) void this.write(batch);
  }

  private async write(batch: QueuedInsert[]): Promise<void> {
    let inserted: ReadonlySet<string>;
    try {
      inserted = await this.insertClients(batch.map((queued) => queued.client));
    } catch (error) {
      // One statement, so nothing of the batch was written: each client can be tried alone.
      if (batch.length > 1 && !isConnectionFailure(error)) {
        for (const queued of batch) void this.write([queued]);
      } else {
        for (const queued of batch) queued.reject(error);
      }
      return;
    }
    for (const queued of batch) queued.resolve(inserted.has(queued.client.clientId));
  }
}
