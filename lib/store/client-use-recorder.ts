import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { ClientStore } from './client-store.js';

export interface ClientUseRecorderOptions {
  /**
   * Uses are written at most once per this interval, all in one markUsedMany,
   * so a client is written at most once per interval whatever its traffic.
   * Default 300,000 ms: pruning (clientMaxIdleSeconds) counts in days.
   */
  intervalMs?: number;
}

export const DEFAULT_USE_WRITE_INTERVAL_MS = 300_000;

/**
 * Last-use bookkeeping off the hot path: record() only notes the latest use of
 * each client in memory (coalesced: one entry per client); a timer writes what
 * was noted one interval after the first use it holds, and shutdown writes the
 * rest (beforeApplicationShutdown, so before the store closes). A failed write
 * keeps its uses for the next one.
 */
export class ClientUseRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ClientUseRecorder');
  private readonly intervalMs: number;
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ClientStore,
    options: ClientUseRecorderOptions = {},
  ) {
    const intervalMs = options.intervalMs ?? DEFAULT_USE_WRITE_INTERVAL_MS;
    if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
      throw new RangeError('ClientUseRecorder intervalMs must be a positive integer');
    }
    this.intervalMs = intervalMs;
  }

  /** Notes a successful use (seconds since the epoch); never waits, never throws. */
  record(clientId: string, at: number): void {
    const noted = this.pending.get(clientId);
    if (noted === undefined || noted < at) this.pending.set(clientId, at);
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
  }

  /** Writes what was noted now; resolves once written (or the failure logged). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const uses = this.pending;
    this.pending = new Map();
    // One write at a time, so a slow one can't be overtaken by an older value.
    this.writing = this.writing.then(() => this.write(uses));
    return this.writing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(uses: Map<string, number>): Promise<void> {
    if (uses.size === 0) return;
    try {
      await this.store.markUsedMany(uses);
    } catch (error) {
      this.logger.warn(`could not record the use of clients: ${(error as Error).message}`);
      for (const [clientId, at] of uses) this.record(clientId, at);
    }
  }
}
