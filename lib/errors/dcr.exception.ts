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

  /** RFC 6750 §3.1: a missing, unknown, revoked or foreign token. */
  static invalidToken(
    description = 'the access token is missing, invalid or revoked',
  ): DcrException {
    return new DcrException(DcrErrorCode.InvalidToken, description, HttpStatus.UNAUTHORIZED, {
      'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"`,
    });
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
