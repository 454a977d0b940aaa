import { HttpStatus, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DcrAuditor } from '../audit/dcr-auditor.js';
import { DcrException } from '../errors/dcr.exception.js';
import { DCR_PATH } from '../dcr.module-definition.js';
import { contentEncodingOf, ENCODED_BODY_DESCRIPTION } from './registration-body.js';

type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

interface BodyError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
}

/** The status of an error raised by the host's body parser (body-parser or Fastify), if it is one. */
function bodyErrorStatus(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { status, statusCode, type, code } = error as BodyError;
  const fromParser =
    (typeof type === 'string' && /^(entity|request|encoding|charset)\./.test(type)) ||
    (typeof code === 'string' && code.startsWith('FST_ERR_CTP_')) ||
    error instanceof SyntaxError;
  const httpStatus = status ?? statusCode;
  return fromParser && httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500
    ? httpStatus
    : undefined;
}

/**
 * An error from decoding the body: body-parser passes zlib's and brotli's on
 * with a 400 status but no `type`; they carry zlib's numeric `errno`.
 */
function isDecodeError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { status, errno } = error as { status?: unknown; errno?: unknown };
  return typeof errno === 'number' || (typeof status === 'number' && status >= 400 && status < 500);
}

/**
 * The status to answer a parser error with on a module route, if it is one.
 * An encoded body is refused with 415 whatever its parser made of it, as the
 * route itself refuses one that parsed.
 */
function translatedStatus(error: unknown, headers: RequestHeaders | undefined): number | undefined {
  const status = bodyErrorStatus(error);
  if (headers && contentEncodingOf(headers) !== undefined) {
    return status !== undefined || isDecodeError(error)
      ? HttpStatus.UNSUPPORTED_MEDIA_TYPE
      : undefined;
  }
  return status;
}

function bodyException(status: number, headers: RequestHeaders | undefined): DcrException {
  if (headers && contentEncodingOf(headers) !== undefined) {
    return DcrException.invalidRequest(ENCODED_BODY_DESCRIPTION, status);
  }
  switch (status) {
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return DcrException.invalidRequest('the request body is too large', status);
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return DcrException.invalidRequest(
        'the request body must be JSON (Content-Type: application/json)',
        status,
      );
    default:
      return DcrException.invalidRequest('the request body is not valid JSON');
  }
}

const BODY_ERROR = Symbol('nestjs-dcr.body-error');

/**
 * The host's body parser runs before any route, so its errors (malformed JSON,
 * a body over its limit) never reach the module's exception filter. This
 * rewrites them, on the module's routes only, into RFC error bodies; every
 * other route keeps the host's own handling.
 */
@Injectable()
export class DcrBodyErrorTranslator implements OnModuleInit {
  private readonly routeSuffix: string;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(DCR_PATH) path: string,
    private readonly auditor: DcrAuditor,
  ) {
    this.routeSuffix = '/' + path.replace(/^\/+|\/+$/g, '');
  }

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    if (adapter.getType() === 'fastify') this.translateFastify(adapter.getInstance());
    else if (adapter.getType() === 'express') this.translateExpress(adapter.getInstance());
  }

  /** True for the registration route and the management routes below it, under any global prefix. */
  isModuleRoute(url: string): boolean {
    const path = url.split('?', 1)[0] ?? '';
    return path.endsWith(this.routeSuffix) || path.includes(this.routeSuffix + '/');
  }

  /** An error middleware added after the routes, ahead of Nest's own error handler. */
  private translateExpress(app: ExpressLike): void {
    app.use(
      (
        error: unknown,
        request: ExpressRequest,
        response: ExpressResponse,
        next: (e: unknown) => void,
      ) => {
        const status = translatedStatus(error, request.headers);
        if (status === undefined || !this.isModuleRoute(request.originalUrl)) return next(error);
        const exception = bodyException(status, request.headers);
        this.auditor.refused(request, exception);
        response
          .status(exception.getStatus())
          .set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
          .json(exception.body);
      },
    );
  }

  /** Fastify answers parser errors through Nest's error handler; rewrite that answer as it is sent. */
  private translateFastify(fastify: FastifyLike): void {
    fastify.addHook('onError', (request, _reply, error, done) => {
      const status = translatedStatus(error, request.headers);
      if (status !== undefined && this.isModuleRoute(request.url)) {
        (request as unknown as Record<symbol, unknown>)[BODY_ERROR] = status;
      }
      done();
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const status = (request as unknown as Record<symbol, unknown>)[BODY_ERROR] as
        number | undefined;
      if (status === undefined) return done(null, payload);
      const exception = bodyException(status, request.headers);
      this.auditor.refused(request, exception);
      reply
        .code(exception.getStatus())
        .header('content-type', 'application/json; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('pragma', 'no-cache');
      done(null, JSON.stringify(exception.body));
    });
  }
}

interface ExpressResponse {
  status(code: number): ExpressResponse;
  set(headers: Record<string, string>): ExpressResponse;
  json(body: unknown): void;
}
interface ExpressRequest {
  originalUrl: string;
  headers?: RequestHeaders;
}
interface FastifyRequestLike {
  url: string;
  headers?: RequestHeaders;
}
interface ExpressLike {
  use(
    handler: (
      error: unknown,
      request: ExpressRequest,
      response: ExpressResponse,
      next: (e: unknown) => void,
    ) => void,
  ): void;
}
type Done = (error?: Error | null, payload?: unknown) => void;
interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
}
interface FastifyLike {
  addHook(
    name: 'onError',
    hook: (request: FastifyRequestLike, reply: unknown, error: unknown, done: () => void) => void,
  ): void;
  addHook(
    name: 'onSend',
    hook: (
      request: FastifyRequestLike,
      reply: FastifyReplyLike,
      payload: unknown,
      done: Done,
    ) => void,
  ): void;
}
