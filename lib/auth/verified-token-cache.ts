/**
 * Bounded cache of already-verified bearer tokens, keyed by the whole
 * credential and kept no longer than its `exp`: a provisioning pipeline that
 * reuses one token costs a map lookup instead of a signature check. The
 * oldest entries go first; a hit does not reorder (that would cost two more
 * map operations per request), so a hot token evicted is verified once again.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();

  constructor(private readonly maxEntries: number) {}

  get(token: string, nowMs: number): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAtMs > nowMs) return entry.value;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, value: T, expiresAtMs: number): void {
    if (this.maxEntries === 0) return;
    this.entries.delete(token);
    this.entries.set(token, { value, expiresAtMs });
    if (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
