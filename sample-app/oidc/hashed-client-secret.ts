import type { Provider } from 'oidc-provider';
import { secretMatchesHash } from '../../lib/index.js';

/**
 * Client secrets stay hashed at rest: the provider is given the stored hash as
 * `client_secret`, and this makes it compare a presented secret against that
 * hash (client_secret_basic / client_secret_post). `compareClientSecret` on the
 * Client prototype is the hook oidc-provider's maintainer points to for hashed
 * secrets (panva/node-oidc-provider#631).
 *
 * What a hash cannot do: anything that uses the secret as a key. So the
 * provider must not enable client_secret_jwt, HS* signatures or symmetric
 * encryption (see ASYMMETRIC_ALGS in create-oidc-provider.ts): with the hash
 * as key, whoever reads the store could forge them.
 */
export function verifyClientSecretsAgainstHashes(provider: Provider): void {
  provider.Client.prototype.compareClientSecret = function compareClientSecret(presented) {
    return this.clientSecret !== undefined && secretMatchesHash(presented, this.clientSecret);
  };
}
