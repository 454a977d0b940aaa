import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import type { OidcAdapter, OidcAdapterFactory } from './oidc-adapter.js';
import { ProviderState } from './provider-state.js';

/**
 * Provider state in process memory: oidc-provider's own memory adapter (an LRU
 * of 1000 entries). Lost on restart and not shared between instances: for
 * development, tests, and hosts whose clients are in memory anyway.
 */
export class MemoryProviderState extends ProviderState {
  private readonly memory: OidcAdapterFactory;

  constructor(clockToleranceSeconds = 0) {
    super();
    this.memory = createMemoryAdapter(clockToleranceSeconds);
  }

  adapterFor(model: string): OidcAdapter {
    return this.memory(model);
  }
}
