import type { OidcAdapter } from './oidc-adapter.js';

/**
 * Where oidc-provider keeps everything but its clients: sessions,
 * interactions, grants, codes and tokens. An abstract class, so an app can
 * give its own (Redis, DynamoDB, ...) and the contract can grow.
 */
export abstract class ProviderState {
  /** The adapter of one oidc-provider model (called once per model name). */
  abstract adapterFor(model: string): OidcAdapter;
}
