/** An end-user account of the host, as stored (never with its password). */
export interface Account {
  /** Stable subject identifier (`sub`): a random UUID, so renaming never reassigns tokens. */
  id: string;
  username: string;
  administrator: boolean;
  disabled: boolean;
}

/** A bad username or password given to the accounts command or at start-up. */
export class AccountInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountInputError';
  }
}

const USERNAME = /^[a-z0-9][a-z0-9._@+-]{0,63}$/;
export const MIN_PASSWORD_LENGTH = 12;
/** Bounds the work one sign-in attempt can ask of the KDF. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Usernames are compared case-insensitively: stored lower-cased (NFKC), as typed otherwise. */
export function normalizeUsername(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase();
}

export function checkUsername(input: string): string {
  const username = normalizeUsername(input);
  if (!USERNAME.test(username)) {
    throw new AccountInputError(
      'a username is 1 to 64 characters: letters, digits and . _ @ + - (starting with a letter or digit)',
    );
  }
  return username;
}

export function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new AccountInputError(
      `a password is ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  return password;
}
