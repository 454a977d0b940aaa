import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ClientLookupCache, ClientStore, ClientUseRecorder } from '../../lib/index.js';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { createOidcProvider } from './create-oidc-provider.js';

/** Injection token of the embedded oidc-provider `Provider`. */
export const OIDC_PROVIDER = Symbol.for('sample-app.oidc-provider');

/**
 * The provider and the configuration, global so that the DCR module's
 * metadata validator can use them (provider-client-metadata.validator.ts).
 * The provider reads clients through a ClientLookupCache and records their
 * use through a ClientUseRecorder (flushed at shutdown, before the store closes).
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
          provide: ClientLookupCache,
          useFactory: (store: ClientStore) => new ClientLookupCache(store),
          inject: [ClientStore],
        },
        {
          provide: ClientUseRecorder,
          useFactory: (store: ClientStore) =>
            new ClientUseRecorder(store, { intervalMs: config.lastUseWriteSeconds * 1000 }),
          inject: [ClientStore],
        },
        {
          provide: OIDC_PROVIDER,
          useFactory: (lookup: ClientLookupCache, uses: ClientUseRecorder) =>
            createOidcProvider(config, { lookup, uses }),
          inject: [ClientLookupCache, ClientUseRecorder],
        },
      ],
      exports: [OIDC_PROVIDER, SAMPLE_CONFIG],
    };
  }
}
