import type { RegistrationContext, RegistrationResult } from './registration-context.js';

/**
 * Second step: issues credentials for the validated metadata and stores the
 * client (Duende's IDynamicClientRegistrationRequestProcessor).
 */
export abstract class RegistrationProcessor {
  abstract process(context: RegistrationContext): Promise<RegistrationResult>;
}
