import type { SqlListener, SqlNotificationHandler } from './sql-database.js';

/** A pg connection's notification: what `pg.Client` emits as `notification`. */
export interface PgNotification {
  channel: string;
  payload?: string;
}

/** A pooled connection that can LISTEN (what `pg.PoolClient` offers). */
export interface PgListenClientLike {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  release(error?: Error | boolean): void;
}

/** Where the listener gets (and gets again) its connection: the store's pool. */
export type ConnectListenClient = () => Promise<PgListenClientLike>;

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;
/**
 * A connection that dies without a FIN (a partitioned network) only shows it
 * when used: a cheap query this often finds it, so missed notifications are
 * bounded by it plus the pool's query timeout.
 */
const HEARTBEAT_MS = 10_000;

/**
 * LISTEN on one connection held out of the pool for as long as the listener
 * lives. When the connection fails it says so (listening(false)), drops the
 * connection and tries again with growing pauses, saying listening(true) once
 * the LISTEN is back.
 */
export class PgNotificationListener implements SqlListener {
  private client?: PgListenClientLike;
  private closed = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly connect: ConnectListenClient,
    private readonly channel: string,
    private readonly handler: SqlNotificationHandler,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid channel ${channel}`);
    void this.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    // Destroyed rather than returned: a pooled connection must not stay subscribed.
    client?.release(true);
  }

  private async start(): Promise<void> {
    let client: PgListenClientLike | undefined;
    try {
      client = await this.connect();
      if (this.closed) {
        client.release(true);
        return;
      }
      client.on('notification', (message) => {
        if (message.channel === this.channel) this.handler.notification(message.payload ?? '');
      });
      const current = client;
      client.on('error', (error) => this.lost(current, error));
      client.on('end', () => this.lost(current, true));
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
      this.retryMs = FIRST_RETRY_MS;
      this.heartbeat = setInterval(() => {
        current.query('SELECT 1').catch((error: Error) => this.lost(current, error));
      }, HEARTBEAT_MS).unref();
      this.handler.listening(true);
    } catch (error) {
      if (client) this.lost(client, error instanceof Error ? error : true);
      else this.retry();
    }
  }

  private lost(client: PgListenClientLike, error: Error | true): void {
    if (this.closed || (this.client !== undefined && this.client !== client)) return;
    const wasListening = this.client === client;
    this.client = undefined;
    clearInterval(this.heartbeat);
    try {
      client.release(error);
    } catch {
      // Already released by an earlier error event on the same connection.
      return;
    }
    if (wasListening) this.handler.listening(false);
    this.retry();
  }

  private retry(): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => void this.start(), this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }
}
