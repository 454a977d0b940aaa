/** How many failed sign-ins a key may have in a window before it must wait. */
export interface ThrottleLimit {
  failures: number;
  windowMs: number;
}

/** Per username: a guessing attack on one account. Per address: one source trying many. */
export const SIGN_IN_LIMITS = {
  username: { failures: 5, windowMs: 15 * 60_000 },
  address: { failures: 20, windowMs: 15 * 60_000 },
} as const satisfies Record<string, ThrottleLimit>;

/** Bounds memory under a flood of distinct usernames; the oldest entries go first. */
const MAX_TRACKED_KEYS = 10_000;

/** Failure timestamps per key, in this process (each instance throttles on its own). */
class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limit: ThrottleLimit) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((at) => now - at < this.limit.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    return kept;
  }

  /** Milliseconds until the key may try again; 0 when it may now. */
  waitMs(key: string, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < this.limit.failures) return 0;
    return recent[recent.length - this.limit.failures] + this.limit.windowMs - now;
  }

  record(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.delete(key);
    this.failures.set(key, recent);
    if (this.failures.size > MAX_TRACKED_KEYS) {
      this.failures.delete(this.failures.keys().next().value as string);
    }
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}

/**
 * Failed sign-ins throttled per username (whether or not it exists, so the
 * throttle tells nothing) and per client address.
 */
export class SignInThrottle {
  private readonly byUsername: FailureWindow;
  private readonly byAddress: FailureWindow;

  constructor(
    limits: { username: ThrottleLimit; address: ThrottleLimit } = SIGN_IN_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {
    this.byUsername = new FailureWindow(limits.username);
    this.byAddress = new FailureWindow(limits.address);
  }

  /** Milliseconds to wait before this attempt may be checked; 0: go ahead. */
  waitMs(username: string, address: string): number {
    const now = this.clock();
    return Math.max(this.byUsername.waitMs(username, now), this.byAddress.waitMs(address, now));
  }

  failed(username: string, address: string): void {
    const now = this.clock();
    this.byUsername.record(username, now);
    this.byAddress.record(address, now);
  }

  /** A success clears the username's failures (not the address's: it may be trying many). */
  succeeded(username: string): void {
    this.byUsername.clear(username);
  }
}
