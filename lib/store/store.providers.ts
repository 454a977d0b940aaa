import type { Provider, Type } from '@nestjs/common';
import { DCR_MODULE_OPTIONS } from '../dcr.module-definition.js';
import { ClientPruner } from './client-pruner.js';
import { ClientStore } from './client-store.js';
import { openClientStore } from './open-client-store.js';
import {
  DCR_STORE_OPTIONS,
  resolveStoreOptions,
  type DcrStoreModuleOptions,
  type ResolvedStoreOptions,
} from './store.options.js';

/**
 * The ClientStore the module uses: the class given to forRoot's `store`, or
 * else the one the `storage` option names, opened and migrated before the app
 * starts. A PostgreSQL store ends its own pool on application shutdown.
 */
export function clientStoreProviders(storeClass: Type<ClientStore> | undefined): Provider[] {
  return [
    {
      provide: DCR_STORE_OPTIONS,
      useFactory: (options: DcrStoreModuleOptions | undefined) =>
        resolveStoreOptions(options, storeClass !== undefined),
      inject: [DCR_MODULE_OPTIONS],
    },
    storeClass
      ? { provide: ClientStore, useClass: storeClass }
      : {
          provide: ClientStore,
          useFactory: (options: ResolvedStoreOptions) => openClientStore(options.storage),
          inject: [DCR_STORE_OPTIONS],
        },
    ClientPruner,
  ];
}
