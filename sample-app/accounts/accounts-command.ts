import { ConfigError, loadConfig } from '../config.js';
import { AccountInputError, checkPassword, checkUsername } from './account.js';
import type { AccountStore } from './account-store.js';
import { openAccounts } from './open-accounts.js';
import { PasswordHasher } from './password-hasher.js';
import { readNewPassword } from './read-password.js';

const USAGE = `usage: npm run accounts -- <command>
  add <username> [--admin]   create an account (password from a prompt or stdin)
  reset <username>           set a new password (prompt or stdin)
  disable <username>         refuse its sign-ins and its refresh tokens
  enable <username>          allow it again
  list                       usernames and flags
Uses the host's database: DATABASE_URL, or the PGlite data in DCR_DATA_DIR (stop the host first).`;

type Command = (accounts: AccountStore, args: string[]) => Promise<string>;

async function newPasswordHash(): Promise<string> {
  return new PasswordHasher().hash(checkPassword(await readNewPassword()));
}

function exists(found: boolean, username: string, done: string): string {
  if (!found) throw new AccountInputError(`no account named "${username}"`);
  return done;
}

/** The commands, by name: each reads what it needs and says what it did. */
const COMMANDS: Record<string, Command> = {
  add: async (accounts, [name, ...flags]) => {
    const username = checkUsername(name ?? '');
    const administrator = flags.includes('--admin');
    if (await accounts.findByUsername(username)) {
      throw new AccountInputError(`"${username}" already exists (reset its password instead)`);
    }
    const created = await accounts.create(username, await newPasswordHash(), administrator);
    if (!created) throw new AccountInputError(`"${username}" already exists`);
    return `created ${administrator ? 'administrator ' : ''}"${username}"`;
  },
  reset: async (accounts, [name]) => {
    const username = checkUsername(name ?? '');
    if (!(await accounts.findByUsername(username))) return exists(false, username, '');
    const passwordHash = await newPasswordHash();
    return exists(
      await accounts.update(username, { passwordHash }),
      username,
      `new password set for "${username}"`,
    );
  },
  disable: async (accounts, [name]) => {
    const username = checkUsername(name ?? '');
    return exists(
      await accounts.update(username, { disabled: true }),
      username,
      `disabled "${username}"`,
    );
  },
  enable: async (accounts, [name]) => {
    const username = checkUsername(name ?? '');
    return exists(
      await accounts.update(username, { disabled: false }),
      username,
      `enabled "${username}"`,
    );
  },
  list: async (accounts) =>
    (await accounts.list())
      .map(
        (account) =>
          `${account.username}${account.administrator ? ' (administrator)' : ''}${account.disabled ? ' (disabled)' : ''}`,
      )
      .join('\n') || '(no accounts)',
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const { accounts, close } = await openAccounts(loadConfig(process.env));
    try {
      process.stdout.write(`${await command(accounts, args)}\n`);
    } finally {
      await close();
    }
    return 0;
  } catch (error) {
    if (!(error instanceof AccountInputError || error instanceof ConfigError)) throw error;
    process.stderr.write(`accounts: ${error.message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
