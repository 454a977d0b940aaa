import type { Account } from './account.js';
import { MAX_PASSWORD_LENGTH, normalizeUsername } from './account.js';
import type { AccountStore } from './account-store.js';
import type { PasswordHasher } from './password-hasher.js';

/**
 * Checks a username and password. Every failure (no such user, wrong
 * password, disabled account, oversized input) resolves `undefined` after
 * one argon2id verification, so none can be told from another by the answer
 * or by its timing.
 */
export class AccountAuthenticator {
  constructor(
    private readonly accounts: AccountStore,
    private readonly hasher: PasswordHasher,
  ) {}

  async authenticate(username: string, password: string): Promise<Account | undefined> {
    const oversized = password.length > MAX_PASSWORD_LENGTH;
    const candidate = password.slice(0, MAX_PASSWORD_LENGTH);
    const account = await this.accounts.findByUsername(normalizeUsername(username));
    if (!account) return this.hasher.verifyDummy(candidate).then(() => undefined);
    const matches = await this.hasher.verify(account.passwordHash, candidate);
    if (!matches || oversized || account.disabled) return undefined;
    const { passwordHash, ...found } = account;
    return found;
  }
}
