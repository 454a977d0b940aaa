import { secretMatchesHash } from '../crypto/secrets.js';

/** The part of an oidc-provider `Provider` that secret comparison lives on. */
export interface ProviderWithClientClass {
  readonly Client: {
    prototype: {
      readonly clientSecret?: string;
      compareClientSecret(presented: string): boolean | Promise<boolean>;
    };
  };
}

/**
 * Client secrets stay hashed at rest: the provider is given the stored hash as
 * `client_secret` (toProviderClientMetadata), and this makes it compare a
 * presented secret against that hash, in constant time (client_secret_basic,
 * client_secret_post). `compareClientSecret` on the Client prototype is the
 * hook oidc-provider's maintainer points to for hashed secrets
 * (panva/node-oidc-provider#631). Call it once, right after `new Provider(...)`.
 *
 * What a hash cannot do: anything that uses the secret as a key. So the
 * provider must not enable client_secret_jwt, HS* signatures or symmetric
 * encryption: with the hash as key, whoever reads the store could forge them.
 */
export function useHashedClientSecrets(provider: ProviderWithClientClass): void {
  provider.Client.prototype.compareClientSecret = function compareClientSecret(
    this: { readonly clientSecret?: string },
    presented: string,
  ): boolean {
    return this.clientSecret !== undefined && secretMatchesHash(presented, this.clientSecret);
  };
}
