import type { RegistrationContext, RegistrationResult } from './registration-context.js';

/** The RFC 7591 §3.2.1 client information response body. */
export type RegistrationResponse = Record<string, unknown>;

/** Last step: writes the client information response (Duende's IDynamicClientRegistrationResponseGenerator). */
export abstract class RegistrationResponseGenerator {
  abstract generate(context: RegistrationContext, result: RegistrationResult): RegistrationResponse;
}
