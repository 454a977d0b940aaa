import { HttpException, HttpStatus } from '@nestjs/common';
import { DcrErrorCode } from './dcr-error-code.js';

/** The RFC error body: what every failure of the module writes. */
export interface DcrErrorBody {
  error: DcrErrorCode;
  error_description?: string;
}

/**
 * The module's one error type: an RFC code, an HTTP status, a description that
 * is safe to show, and any headers the RFC asks for (WWW-Authenticate,
 * Retry-After). It is an HttpException, so even a host filter writes the RFC body.
 */
export class DcrException extends HttpException {
  /** The client metadata member a metadata error names (set by invalidMember), for audit records. */
  member?: string;

  constructor(
    readonly code: DcrErrorCode,
    readonly description: string | undefined,
    status: number = HttpStatus.BAD_REQUEST,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    const body: DcrErrorBody =
      description === undefined ? { error: code } : { error: code, error_description: description };
    super(body, status);
  }

  get body(): DcrErrorBody {
    return this.getResponse() as DcrErrorBody;
  }

  static invalidRequest(
    description: string,
    status: number = HttpStatus.BAD_REQUEST,
  ): DcrException {
    return new DcrException(DcrErrorCode.InvalidRequest, description, status);
  }

  static invalidClientMetadata(description: string): DcrException {
    return new DcrException(DcrErrorCode.InvalidClientMetadata, description);
  }

  static invalidRedirectUri(description: string): DcrException {
    return new DcrException(DcrErrorCode.InvalidRedirectUri, description);
  }

  static invalidSoftwareStatement(description: string): DcrException {
    return new DcrException(DcrErrorCode.InvalidSoftwareStatement, description);
  }

  static unapprovedSoftwareStatement(description: string): DcrException {
    return new DcrException(DcrErrorCode.UnapprovedSoftwareStatement, description);
  }

  /** RFC 6750 §3.1: no credentials at all, so the challenge carries no error code. */
  static bearerTokenRequired(realm: string): DcrException {
    return new DcrException(
      DcrErrorCode.InvalidToken,
      'a bearer token is required',
      HttpStatus.UNAUTHORIZED,
      { 'WWW-Authenticate': `Bearer realm="${realm}"` },
    );
  }

  /** RFC 6750 §3.1 invalid_token: expired, revoked, malformed or otherwise not acceptable. */
  static invalidToken(realm: string, description: string): DcrException {
    return new DcrException(DcrErrorCode.InvalidToken, description, HttpStatus.UNAUTHORIZED, {
      'WWW-Authenticate': `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`,
    });
  }

  /** RFC 6750 §3.1 insufficient_scope, naming the scope the request needs. */
  static insufficientScope(realm: string, scope: string): DcrException {
    return new DcrException(
      DcrErrorCode.InsufficientScope,
      `the access token lacks the scope "${scope}"`,
      HttpStatus.FORBIDDEN,
      {
        'WWW-Authenticate': `Bearer realm="${realm}", error="insufficient_scope", scope="${scope}"`,
      },
    );
  }

  static tooManyRequests(retryAfterSeconds: number): DcrException {
    return new DcrException(
      DcrErrorCode.TooManyRequests,
      'too many registration requests from this address, try again later',
      HttpStatus.TOO_MANY_REQUESTS,
      { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    );
  }

  /** The token issuer's keys can't be fetched: not the caller's fault. */
  static issuerUnavailable(): DcrException {
    return new DcrException(
      DcrErrorCode.TemporarilyUnavailable,
      'the token issuer cannot be reached, try again later',
      HttpStatus.SERVICE_UNAVAILABLE,
      { 'Retry-After': '5' },
    );
  }

  static temporarilyUnavailable(): DcrException {
    return new DcrException(
      DcrErrorCode.TemporarilyUnavailable,
      'the client store is unavailable, try again later',
      HttpStatus.SERVICE_UNAVAILABLE,
      { 'Retry-After': '5' },
    );
  }

  static serverError(): DcrException {
    return new DcrException(DcrErrorCode.ServerError, undefined, HttpStatus.INTERNAL_SERVER_ERROR);
  }
}
