import { Inject, Injectable } from '@nestjs/common';
import type { OidcError, Provider } from 'oidc-provider';
import {
  DCR_OPTIONS,
  DcrException,
  DefaultClientMetadataValidator,
  type ClientMetadata,
  type RegistrationContext,
  type ResolvedDcrOptions,
} from '../../lib/index.js';
import { toProviderMetadata } from './client-store.adapter.js';
import { OIDC_PROVIDER } from './oidc-provider.module.js';

/** Stands in for the credentials the processor issues after validation. */
const PENDING = 'pending-registration';

function isOidcError(error: unknown): error is OidcError {
  return error instanceof Error && typeof (error as Partial<OidcError>).error === 'string';
}

/**
 * A custom ClientMetadataValidator, given to DcrModule through DI (the
 * `validator` extra). Why: the DCR store is the provider's client registry, so
 * a registration the provider could not load (its own rules, e.g. response
 * types without redirect URIs, or an auth method it doesn't enable) must be
 * refused now with a 400, not found out at the client's first token request
 * as `invalid_client`. The library's rules run first (super), then the
 * provider's client schema, without any network fetch.
 */
@Injectable()
export class ProviderClientMetadataValidator extends DefaultClientMetadataValidator {
  constructor(
    @Inject(DCR_OPTIONS) options: ResolvedDcrOptions,
    @Inject(OIDC_PROVIDER) private readonly provider: Provider,
  ) {
    super(options);
  }

  override async validate(context: RegistrationContext): Promise<ClientMetadata> {
    const metadata = await super.validate(context);
    try {
      new this.provider.Client(
        toProviderMetadata({
          clientId: context.existingClient?.clientId ?? PENDING,
          metadata,
          clientIdIssuedAt: 0,
          clientSecretHash: PENDING,
          clientSecretExpiresAt: 0,
          updatedAt: 0,
        }),
      );
    } catch (error) {
      if (!isOidcError(error)) throw error;
      const description = error.error_description ?? 'the provider refuses this client metadata';
      throw error.error === 'invalid_redirect_uri'
        ? DcrException.invalidRedirectUri(description)
        : DcrException.invalidClientMetadata(description);
    }
    return metadata;
  }
}
