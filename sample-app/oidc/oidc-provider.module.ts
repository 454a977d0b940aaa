import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ClientStore } from '../../lib/index.js';
import { AccountStore } from '../accounts/account-store.js';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { createOidcProvider } from './create-oidc-provider.js';

/** Injection token of the embedded oidc-provider `Provider`. */
export const OIDC_PROVIDER = Symbol.for('sample-app.oidc-provider');

/**
 * The provider and the configuration, global so that the DCR module's
 * metadata validator can use them (provider-client-metadata.validator.ts).
 */
@Global()
@Module({})
export class OidcProviderModule {
  static forRoot(config: SampleConfig): DynamicModule {
    return {
      module: OidcProviderModule,
      providers: [
        { provide: SAMPLE_CONFIG, useValue: config },
        {
          provide: OIDC_PROVIDER,
          useFactory: (store: ClientStore, accounts: AccountStore) =>
            createOidcProvider(config, store, accounts),
          inject: [ClientStore, AccountStore],
        },
      ],
      exports: [OIDC_PROVIDER, SAMPLE_CONFIG],
    };
  }
}
