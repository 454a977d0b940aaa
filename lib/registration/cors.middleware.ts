import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';

const ALLOWED_METHODS = 'GET, POST, PUT, DELETE';
const ALLOWED_HEADERS = 'Authorization, Content-Type';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * CORS for the module's routes only, when `corsOrigins` is set: browsers may
 * call them from the allowed origins, error responses included (the headers
 * are set before any guard runs). Credentials (cookies) are never allowed:
 * these endpoints authenticate with bearer tokens.
 */
@Injectable()
export class DcrCorsMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(@Inject(DCR_OPTIONS) private readonly options: ResolvedDcrOptions) {}

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const allowed = this.options.corsOrigins;
    const origin = request.headers.origin;
    if (allowed === undefined || origin === undefined) return next();
    response.setHeader('Vary', 'Origin');
    if (allowed !== '*' && !allowed.has(origin)) return next();
    response.setHeader('Access-Control-Allow-Origin', allowed === '*' ? '*' : origin);
    if (request.method !== 'OPTIONS') {
      response.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, Retry-After');
      return next();
    }
    response.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    response.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    response.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
    response.statusCode = 204;
    response.end();
  }
}
