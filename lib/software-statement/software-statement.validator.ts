import type { RegistrationContext } from '../registration/registration-context.js';

/** A software statement whose signature and issuer were accepted. */
export interface VerifiedSoftwareStatement {
  /** The statement exactly as sent; echoed unmodified (RFC 7591 §3.2.1). */
  statement: string;
  /** Its claims; they take precedence over the same members of the body (RFC 7591 §2.3). */
  claims: Readonly<Record<string, unknown>>;
}

/**
 * Verifies the `software_statement` of a request (RFC 7591 §2.3, §3.1.1).
 * Returns undefined to ignore it (not applied, not echoed), the verified
 * statement to apply it, or throws a DcrException with
 * invalid_software_statement / unapproved_software_statement.
 */
export abstract class SoftwareStatementValidator {
  abstract validate(
    /** The body's `software_statement` member as sent (undefined when absent; any JSON type). */
    statement: unknown,
    context: RegistrationContext,
  ): Promise<VerifiedSoftwareStatement | undefined>;
}
