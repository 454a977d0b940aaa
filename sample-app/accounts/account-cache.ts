import type { AccountWithHash } from './account-store.js';

/**
 * Accounts by id, as last read, at most `maxAccounts` (oldest out). clear()
 * on every write; `generation` tells a read that raced a write not to be
 * remembered. While not `live` (writes elsewhere may go unheard) it holds
 * nothing.
 */
export class AccountCache {
  generation = 0;
  private readonly accounts = new Map<string, AccountWithHash>();

  constructor(
    private live: boolean,
    private readonly maxAccounts = 1000,
  ) {}

  /** A copy, so a caller can't change what the next one gets. */
  get(id: string): AccountWithHash | undefined {
    const account = this.accounts.get(id);
    return account && { ...account };
  }

  /** Remembers `account` unless a write began since `generation` was read. */
  remember(account: AccountWithHash, generation: number): void {
    if (!this.live || generation !== this.generation) return;
    this.accounts.delete(account.id);
    this.accounts.set(account.id, { ...account });
    if (this.accounts.size > this.maxAccounts) {
      this.accounts.delete(this.accounts.keys().next().value as string);
    }
  }

  clear(): void {
    this.generation++;
    this.accounts.clear();
  }

  /** Whether every write is heard; either way, what was held may be stale: it is dropped. */
  setLive(live: boolean): void {
    this.live = live;
    this.clear();
  }
}
