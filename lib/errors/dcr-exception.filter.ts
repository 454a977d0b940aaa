import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  Optional,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DcrAuditor } from '../audit/dcr-auditor.js';
import { StoreUnavailableError } from '../store/store.errors.js';
import { DcrErrorCode } from './dcr-error-code.js';
import { DcrException } from './dcr.exception.js';

/** RFC codes for HTTP errors raised by other parts of Nest (guards, throttler, body parsers). */
const CODE_BY_STATUS: Readonly<Record<number, DcrErrorCode>> = {
  [HttpStatus.UNAUTHORIZED]: DcrErrorCode.InvalidToken,
  [HttpStatus.FORBIDDEN]: DcrErrorCode.AccessDenied,
  [HttpStatus.TOO_MANY_REQUESTS]: DcrErrorCode.TooManyRequests,
  [HttpStatus.SERVICE_UNAVAILABLE]: DcrErrorCode.TemporarilyUnavailable,
};

/** Turns any error into a DcrException; the one place where errors get their RFC shape. */
export function toDcrException(error: unknown): DcrException {
  if (error instanceof DcrException) return error;
  if (error instanceof StoreUnavailableError) return DcrException.temporarilyUnavailable();
  if (error instanceof HttpException && error.getStatus() < 500) {
    const status = error.getStatus();
    const code = CODE_BY_STATUS[status] ?? DcrErrorCode.InvalidRequest;
    // Nest's own 4xx messages are written for clients; class-level details are not.
    return new DcrException(code, error.message, status);
  }
  if (error instanceof HttpException && error.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) {
    return DcrException.temporarilyUnavailable();
  }
  return DcrException.serverError();
}

/** Writes `{error, error_description}` with the status and headers the RFCs ask for. */
@Catch()
export class DcrExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('DcrModule');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    /** Absent when a host uses this filter outside the module. */
    @Optional() private readonly auditor?: DcrAuditor,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const exception = toDcrException(error);
    if (exception.getStatus() >= 500) this.logUnexpected(error);
    this.auditor?.refused(host.switchToHttp().getRequest<object>(), exception);
    const response = host.switchToHttp().getResponse<object>();
    const adapter = this.adapterHost.httpAdapter;
    adapter.setHeader(response, 'Cache-Control', 'no-store');
    adapter.setHeader(response, 'Pragma', 'no-cache');
    for (const [name, value] of Object.entries(exception.headers)) {
      adapter.setHeader(response, name, value);
    }
    adapter.reply(response, exception.body, exception.getStatus());
  }

  /** Only the error's name and message: request data (and so secrets) never reaches the log. */
  private logUnexpected(error: unknown): void {
    if (error instanceof StoreUnavailableError) {
      this.logger.warn(
        `client store unavailable: ${String((error.cause as Error | undefined)?.message ?? '')}`,
      );
    } else if (error instanceof Error) {
      this.logger.error(`${error.name}: ${error.message}`, error.stack);
    } else {
      this.logger.error('non-Error thrown in the registration pipeline');
    }
  }
}
