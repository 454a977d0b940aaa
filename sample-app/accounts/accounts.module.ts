import { Global, Module } from '@nestjs/common';
import { ClientStore, PostgresClientStore } from '../../lib/index.js';
import { AccountAuthenticator } from './account-authenticator.js';
import { AccountStore } from './account-store.js';
import { AdminAccount } from './admin-account.js';
import { PasswordHasher } from './password-hasher.js';

/**
 * Accounts live beside the clients: the client store's connection and schema,
 * migrated at start, with the accounts command's writes heard (PostgreSQL).
 */
async function openAccountStore(clients: ClientStore): Promise<AccountStore> {
  if (!(clients instanceof PostgresClientStore)) {
    throw new Error('accounts need the SQL client store (PGlite or PostgreSQL)');
  }
  const accounts = new AccountStore(clients.database, clients.schema);
  await accounts.migrate();
  accounts.watchChanges();
  return accounts;
}

/** End-user accounts: the table, the KDF, the sign-in check and the administrator account. */
@Global()
@Module({
  providers: [
    { provide: AccountStore, useFactory: openAccountStore, inject: [ClientStore] },
    {
      provide: PasswordHasher,
      useFactory: async () => {
        const hasher = new PasswordHasher();
        await hasher.dummyHash();
        return hasher;
      },
    },
    {
      provide: AccountAuthenticator,
      useFactory: (accounts: AccountStore, hasher: PasswordHasher) =>
        new AccountAuthenticator(accounts, hasher),
      inject: [AccountStore, PasswordHasher],
    },
    AdminAccount,
  ],
  exports: [AccountStore, PasswordHasher, AccountAuthenticator],
})
export class AccountsModule {}
