import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ClientStore } from '../../lib/index.js';
import type { SampleConfig } from '../config.js';
import { createOidcProvider } from './create-oidc-provider.js';

/** Injection token of the embedded oidc-provider `Provider`. */
export const OIDC_PROVIDER = Symbol.for('sample-app.oidc-provider');

/**
 * Global, so that the DCR module's metadata validator can check registrations
 * against the provider (provider-client-metadata.validator.ts).
 */
@Global()
@Module({})
export class OidcProviderModule {
  static forRoot(config: SampleConfig): DynamicModule {
    return {
      module: OidcProviderModule,
      providers: [
        {
          provide: OIDC_PROVIDER,
          useFactory: (store: ClientStore) => createOidcProvider(config, store),
          inject: [ClientStore],
        },
      ],
      exports: [OIDC_PROVIDER],
    };
  }
}
