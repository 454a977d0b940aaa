import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DcrException } from '../errors/dcr.exception.js';
import { looksLikeJwt, readBearerToken } from './bearer-token.js';
import { InitialAccessTokenGuard } from './initial-access-token.guard.js';
import type { ResolvedRegistrationAuthOptions } from './registration-auth.options.js';
import { DCR_REGISTRATION_AUTH } from './registration-auth.tokens.js';
import { ScopeGuard } from './scope.guard.js';

/**
 * Either credential: a JWT-shaped token (when bearer is configured) goes to
 * ScopeGuard, anything else is tried as an initial access token; the shape
 * decides, so no token is checked twice.
 */
@Injectable()
export class BearerOrInitialAccessTokenGuard implements CanActivate {
  constructor(
    private readonly bearer: ScopeGuard,
    private readonly initialAccessToken: InitialAccessTokenGuard,
    @Inject(DCR_REGISTRATION_AUTH) private readonly auth: ResolvedRegistrationAuthOptions,
  ) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<object>();
    const token = readBearerToken(request, this.auth.realm);
    if (token === undefined) throw DcrException.bearerTokenRequired(this.auth.realm);
    return this.auth.bearer && looksLikeJwt(token)
      ? this.bearer.canActivate(context)
      : this.initialAccessToken.canActivate(context);
  }
}
