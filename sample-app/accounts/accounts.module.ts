import { Global, Module } from '@nestjs/common';
import { ClientStore, PostgresClientStore } from '../../lib/index.js';
import { AccountAuthenticator } from './account-authenticator.js';
import { AccountStore } from './account-store.js';
import { AdminAccount } from './admin-account.js';
import { PasswordHasher } from './password-hasher.js';

/** Accounts live beside the clients: the client store's connection and schema, migrated at start. */
async function openAccountStore(clients: ClientStore): Promise<AccountStore> {
  if (!(clients instanceof PostgresClientStore)) {
    throw new Error('accounts need the SQL client store (PGlite or PostgreSQL)');
  }
  const accounts = new AccountStore(clients.database, clients.schema);
  await accounts.migrate();
  return accounts;
}

/** End-user accounts: the table, the KDF, the sign-in check and the administrator account. */
@Global()
@Module({
  providers: [
    { provide: AccountStore, useFactory: openAccountStore, inject: [ClientStore] },
    { provide: PasswordHasher, useValue: new PasswordHasher() },
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
