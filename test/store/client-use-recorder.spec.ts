import { ClientUseRecorder } from '../../lib/store/client-use-recorder.js';
import { InMemoryClientStore } from '../../lib/store/in-memory-client-store.js';
import { sampleClient } from './client-store.contract.js';

/** An in-memory store that keeps every batch of uses written to it. */
class RecordingStore extends InMemoryClientStore {
  readonly writes: Map<string, number>[] = [];
  failNext = false;
  override async markUsedMany(uses: ReadonlyMap<string, number>): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database down');
    }
    this.writes.push(new Map(uses));
    await super.markUsedMany(uses);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ClientUseRecorder', () => {
  let store: RecordingStore;
  beforeEach(async () => {
    store = new RecordingStore();
    await store.create(sampleClient('c1'));
    await store.create(sampleClient('c2'));
  });

  it('writes nothing per use: one batch per interval, each client once with its latest use', async () => {
    const recorder = new ClientUseRecorder(store, { intervalMs: 80 });
    for (let at = 1000; at < 1500; at++) recorder.record('c1', at);
    recorder.record('c2', 1200);
    recorder.record('c1', 1100);
    expect(store.writes).toHaveLength(0);
    await sleep(150);
    expect(store.writes).toEqual([
      new Map([
        ['c1', 1499],
        ['c2', 1200],
      ]),
    ]);
    expect((await store.findById('c1'))?.lastUsedAt).toBe(1499);
  });

  it('writes a busy client at most once per interval', async () => {
    const recorder = new ClientUseRecorder(store, { intervalMs: 50 });
    const started = Date.now();
    let at = 0;
    while (Date.now() - started < 280) {
      recorder.record('c1', ++at);
      await sleep(2);
    }
    await recorder.flush();
    // ~280 ms of uses at a 50 ms interval: at most 6 timed writes, plus the flush.
    expect(store.writes.length).toBeGreaterThanOrEqual(2);
    expect(store.writes.length).toBeLessThanOrEqual(7);
    expect((await store.findById('c1'))?.lastUsedAt).toBe(at);
  });

  it('writes what is pending at shutdown', async () => {
    const recorder = new ClientUseRecorder(store, { intervalMs: 60_000 });
    recorder.record('c2', 4242);
    await recorder.beforeApplicationShutdown();
    expect((await store.findById('c2'))?.lastUsedAt).toBe(4242);
  });

  it('keeps the uses of a failed write for the next one', async () => {
    const recorder = new ClientUseRecorder(store, { intervalMs: 60_000 });
    recorder.record('c1', 10);
    store.failNext = true;
    await recorder.flush();
    expect(store.writes).toHaveLength(0);
    await recorder.flush();
    expect(store.writes).toEqual([new Map([['c1', 10]])]);
  });

  it('refuses an interval that is not a positive integer', () => {
    expect(() => new ClientUseRecorder(store, { intervalMs: 0 })).toThrow(/intervalMs/);
  });
});
