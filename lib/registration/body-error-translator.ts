import { HttpStatus, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DcrException } from '../errors/dcr.exception.js';
import { DCR_PATH } from '../dcr.module-definition.js';

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

function bodyException(status: number): DcrException {
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
        request: { originalUrl: string },
        response: ExpressResponse,
        next: (e: unknown) => void,
      ) => {
        const status = bodyErrorStatus(error);
        if (status === undefined || !this.isModuleRoute(request.originalUrl)) return next(error);
        const exception = bodyException(status);
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
      const status = bodyErrorStatus(error);
      if (status !== undefined && this.isModuleRoute(request.url)) {
        (request as Record<symbol, unknown>)[BODY_ERROR] = status;
      }
      done();
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const status = (request as Record<symbol, unknown>)[BODY_ERROR] as number | undefined;
      if (status === undefined) return done(null, payload);
      const exception = bodyException(status);
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
interface ExpressLike {
  use(
    handler: (
      error: unknown,
      request: { originalUrl: string },
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
    hook: (request: { url: string }, reply: unknown, error: unknown, done: () => void) => void,
  ): void;
  addHook(
    name: 'onSend',
    hook: (request: { url: string }, reply: FastifyReplyLike, payload: unknown, done: Done) => void,
  ): void;
}
