import { Inject, Injectable } from '@nestjs/common';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import type { RegistrationContext } from '../registration/registration-context.js';
import type { ClientMetadata } from './client-metadata.js';
import { ClientMetadataValidator } from './client-metadata.validator.js';

/** PLACEHOLDER (being replaced by the rule-table validator): applies RFC 7591 defaults only. */
@Injectable()
export class DefaultClientMetadataValidator extends ClientMetadataValidator {
  constructor(@Inject(DCR_OPTIONS) protected readonly options: ResolvedDcrOptions) {
    super();
  }

  async validate(context: RegistrationContext): Promise<ClientMetadata> {
    const input = { ...context.body, ...context.softwareStatement?.claims };
    return {
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      application_type: 'web',
      ...(input as Partial<ClientMetadata>),
    } as ClientMetadata;
  }
}
