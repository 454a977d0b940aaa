import { Injectable } from '@nestjs/common';
import { DefaultClientMetadataValidator } from '../../lib/metadata/default-client-metadata.validator.js';
import type { ClientMetadata } from '../../lib/metadata/client-metadata.js';
import type { DcrCaller } from '../../lib/registration/dcr-caller.js';
import type { RegistrationContext } from '../../lib/registration/registration-context.js';

/** The default validator, remembering the caller each registration carried into the pipeline. */
@Injectable()
export class RecordingValidator extends DefaultClientMetadataValidator {
  static readonly callers: (DcrCaller | undefined)[] = [];

  override async validate(context: RegistrationContext): Promise<ClientMetadata> {
    RecordingValidator.callers.push(context.caller);
    return super.validate(context);
  }
}
