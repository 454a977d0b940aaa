import type { DynamicModule } from '@nestjs/common';
import { DcrModule } from '../lib/index.js';
import type { SampleConfig } from './config.js';
import { PROVIDER_AUTH_METHODS } from './oidc/create-oidc-provider.js';
import { ProviderClientMetadataValidator } from './oidc/provider-client-metadata.validator.js';

/**
 * The one place where the configuration becomes DcrModule options, classes
 * and guards. Global, so that the embedded provider reads the same ClientStore.
 */
export function configureDcrModule(config: SampleConfig): DynamicModule {
  return DcrModule.forRoot({
    isGlobal: true,
    publicBaseUrl: config.publicUrl,
    // The embedded provider has no end-user login: machine clients only.
    grantTypes: ['client_credentials'],
    // Secrets are stored hashed, so client_secret_jwt (an HMAC keyed with the
    // plaintext secret) can't be verified; `none` makes no sense without a login.
    tokenEndpointAuthMethods: PROVIDER_AUTH_METHODS,
    // Registered clients get no scope of their own here: in particular never
    // the registration scope, which only the bootstrap client holds.
    allowedScopes: [],
    validator: ProviderClientMetadataValidator,
  });
}
