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
import { toProviderClientMetadata } from '../../lib/oidc-provider/index.js';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { OIDC_PROVIDER } from './oidc-provider.module.js';

/** Stands in for the credentials the processor issues after validation. */
const PENDING = 'pending-registration';

function isOidcError(error: unknown): error is OidcError {
  return error instanceof Error && typeof (error as Partial<OidcError>).error === 'string';
}

/**
 * A custom ClientMetadataValidator, given to DcrModule through DI (the
 * `validator` extra). Why: the DCR store is the provider's client registry, so
 * - a registration the provider could not load (its own rules, e.g. response
 *   types without redirect URIs, or an auth method it doesn't enable) must be
 *   refused now with a 400, not found out at the first token request as
 *   `invalid_client`;
 * - the registration scope is reserved: a client that could register it would
 *   get tokens to register more clients, whatever `allowedScopes` says.
 * The library's rules run first (super), then these two steps.
 */
@Injectable()
export class ProviderClientMetadataValidator extends DefaultClientMetadataValidator {
  constructor(
    @Inject(DCR_OPTIONS) options: ResolvedDcrOptions,
    @Inject(OIDC_PROVIDER) private readonly provider: Provider,
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
  ) {
    super(options);
  }

  override async validate(context: RegistrationContext): Promise<ClientMetadata> {
    const metadata = await super.validate(context);
    this.refuseReservedScope(metadata);
    this.checkProviderCanLoad(metadata, context);
    return metadata;
  }

  protected refuseReservedScope(metadata: ClientMetadata): void {
    const reserved = this.config.token.requiredScope;
    if (typeof metadata.scope === 'string' && metadata.scope.split(' ').includes(reserved)) {
      throw DcrException.invalidClientMetadata(`the scope ${reserved} can't be registered`);
    }
  }

  /** The provider's client schema, without any network fetch (constructing a Client fetches nothing). */
  protected checkProviderCanLoad(metadata: ClientMetadata, context: RegistrationContext): void {
    try {
      new this.provider.Client(
        toProviderClientMetadata({
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
  }
}
