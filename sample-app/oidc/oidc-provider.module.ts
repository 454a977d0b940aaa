import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  ClientIdMetadataResolver,
  ClientLookupCache,
  ClientStore,
  ClientUseRecorder,
  OutboundFetcher,
} from '../../lib/index.js';
import { openProviderState, ProviderState } from '../../lib/oidc-provider/index.js';
import { AccountStore } from '../accounts/account-store.js';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { createOidcProvider } from './create-oidc-provider.js';

/** Injection token of the embedded oidc-provider `Provider`. */
export const OIDC_PROVIDER = Symbol.for('sample-app.oidc-provider');

/**
 * The provider's sessions, codes, grants and tokens: in the client store's
 * database (PGlite or DATABASE_URL), swept of expired rows every 5 minutes.
 * Its sweeper stops before the store closes its connection at shutdown.
 */
function openHostProviderState(store: ClientStore): Promise<ProviderState> {
  const logger = new Logger('OidcProviderState');
  return openProviderState(store, {
    onSweepError: (error) =>
      logger.warn(`could not sweep expired provider state: ${(error as Error).message}`),
  });
}

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
        { provide: ProviderState, useFactory: openHostProviderState, inject: [ClientStore] },
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
          useFactory: (
            store: ClientStore,
            accounts: AccountStore,
            lookup: ClientLookupCache,
            uses: ClientUseRecorder,
            state: ProviderState,
            fetcher: OutboundFetcher,
            moduleRef: ModuleRef,
          ) =>
            createOidcProvider(config, store, accounts, { lookup, uses }, state, {
              // Found at first use: the resolver's metadata validator needs this provider.
              clientIdMetadata: {
                resolve: (clientId) =>
                  moduleRef.get(ClientIdMetadataResolver, { strict: false }).resolve(clientId),
              },
              fetcher,
            }),
          inject: [
            ClientStore,
            AccountStore,
            ClientLookupCache,
            ClientUseRecorder,
            ProviderState,
            OutboundFetcher,
            ModuleRef,
          ],
        },
      ],
      exports: [OIDC_PROVIDER, SAMPLE_CONFIG],
    };
  }
}
