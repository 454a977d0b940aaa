import type { ClientMetadata } from './client-metadata.js';
import type { RegistrationContext } from '../registration/registration-context.js';

/**
 * First step of the pipeline: turns the request body into the metadata to
 * register, or throws a DcrException (invalid_client_metadata,
 * invalid_redirect_uri, ...). Replace it with a class of your own, usually a
 * subclass of DefaultClientMetadataValidator overriding one step.
 */
export abstract class ClientMetadataValidator {
  abstract validate(context: RegistrationContext): Promise<ClientMetadata>;
}
