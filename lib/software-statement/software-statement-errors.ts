import { HttpStatus } from '@nestjs/common';
import { errors } from 'jose';
import { DcrErrorCode } from '../errors/dcr-error-code.js';
import { DcrException } from '../errors/dcr.exception.js';
import { IssuerUnavailableError, UnknownSigningKeyError } from '../keys/key-errors.js';

/** What a failed claim check means, by claim name. */
function claimProblem(error: errors.JWTClaimValidationFailed): string {
  if (error.reason === 'missing') return `lacks the required "${error.claim}" claim`;
  switch (error.claim) {
    case 'exp':
      return 'has expired';
    case 'nbf':
      return 'is not valid yet';
    case 'iat':
      return error instanceof errors.JWTExpired ? 'is too old' : 'is issued in the future';
    default:
      return `has an invalid "${error.claim}" claim`;
  }
}

/**
 * Turns a jose verification failure into the RFC 7591 answer:
 * invalid_software_statement (descriptions name the check, never a key or a
 * claim value), or 503 when the issuer's keys can't be fetched.
 */
export function toSoftwareStatementException(error: unknown): DcrException {
  if (error instanceof DcrException) return error;
  if (error instanceof IssuerUnavailableError) {
    return new DcrException(
      DcrErrorCode.TemporarilyUnavailable,
      "the software statement issuer's keys are unavailable, try again later",
      HttpStatus.SERVICE_UNAVAILABLE,
      { 'Retry-After': '5' },
    );
  }
  let problem = 'is not a valid signed JWT';
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    problem = claimProblem(error as errors.JWTClaimValidationFailed);
  } else if (error instanceof errors.JWSSignatureVerificationFailed) {
    problem = 'has a signature that does not verify';
  } else if (error instanceof UnknownSigningKeyError) {
    problem = "is signed with a key the issuer doesn't publish";
  } else if (error instanceof errors.JOSEAlgNotAllowed) {
    problem = 'is signed with an algorithm that is not accepted';
  } else if (!(error instanceof errors.JOSEError)) {
    throw error;
  }
  return DcrException.invalidSoftwareStatement(`the software statement ${problem}`);
}
