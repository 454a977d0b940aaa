import type { DynamicModule } from '@nestjs/common';
import { DcrModule } from '../lib/index.js';
import type { RegistrationAuthOptions } from '../lib/auth/registration-auth.options.js';
import type { SampleConfig } from './config.js';
import { PROVIDER_AUTH_METHODS } from './oidc/create-oidc-provider.js';
import { ProviderClientMetadataValidator } from './oidc/provider-client-metadata.validator.js';

/**
 * `protected`: a JWT access token with the registration scope (from the
 * embedded provider unless DCR_TOKEN_ISSUER names another issuer), or an
 * initial access token; `open`: anyone, rate limited per address.
 */
function registrationAuth(config: SampleConfig): RegistrationAuthOptions {
  if (config.registration === 'open') return { mode: 'open' };
  const { issuer, jwksUri, audience, requiredScope } = config.token;
  return {
    mode: 'bearer_or_initial_access_token',
    bearer: { issuer, jwksUri, audience, requiredScope },
  };
}

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
    registration: registrationAuth(config),
    validator: ProviderClientMetadataValidator,
  });
}
