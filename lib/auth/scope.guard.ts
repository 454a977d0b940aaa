import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { DcrException } from '../errors/dcr.exception.js';
import { getDcrCaller, setDcrCaller, type DcrCaller } from '../registration/dcr-caller.js';
import { authorizationHeader, readBearerToken } from './bearer-token.js';
import { DCR_JWT_STRATEGY } from './dcr-jwt.strategy.js';
import { IssuerUnavailableError } from '../keys/key-errors.js';
import { InvalidAccessTokenError } from './issuer-errors.js';
import type { ResolvedRegistrationAuthOptions } from './registration-auth.options.js';
import { DCR_REGISTRATION_AUTH } from './registration-auth.tokens.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/** jsonwebtoken's error names mapped to descriptions safe to show (never the expected values). */
const DESCRIPTION_BY_ERROR: Readonly<Record<string, string>> = {
  TokenExpiredError: 'the access token has expired',
  NotBeforeError: 'the access token is not valid yet',
  UnknownSigningKeyError: 'the access token is signed with an unknown key or algorithm',
};

/**
 * JWT bearer authentication (RFC 6750, RFC 9068) plus the registration scope.
 * Verification runs through passport-jwt (DcrJwtStrategy); a credential
 * verified before is taken from a bounded cache until its token expires. Failures: 401
 * invalid_token; a valid token without the scope: 403 insufficient_scope.
 * Each step is a protected method a subclass can override.
 */
@Injectable()
export class ScopeGuard extends AuthGuard(DCR_JWT_STRATEGY) implements CanActivate {
  private readonly cache: VerifiedTokenCache<DcrCaller>;

  constructor(
    @Inject(DCR_REGISTRATION_AUTH) protected readonly auth: ResolvedRegistrationAuthOptions,
  ) {
    super();
    this.cache = new VerifiedTokenCache(auth.bearer?.verifiedTokenCacheSize ?? 0);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = this.getRequest(context) as object;
    const caller = await this.authenticate(context, request);
    this.requireScope(caller);
    setDcrCaller(request, caller);
    return true;
  }

  protected async authenticate(context: ExecutionContext, request: object): Promise<DcrCaller> {
    if (!this.auth.bearer) throw new Error('ScopeGuard needs the registration.bearer option');
    // Keyed by the header as sent: a credential seen before needs no parsing either.
    const header = authorizationHeader(request);
    const cached = header === undefined ? undefined : this.cache.get(header, Date.now());
    if (cached) return cached;
    const token = readBearerToken(request, this.auth.realm);
    if (token === undefined) throw DcrException.bearerTokenRequired(this.auth.realm);
    await super.canActivate(context); // passport-jwt; handleRequest sets the caller
    const caller = getDcrCaller(request);
    if (!caller) throw DcrException.invalidToken(this.auth.realm, 'the access token is invalid');
    // Later requests with this token share the object: nobody may change it.
    Object.freeze(caller.claims);
    Object.freeze(caller.scopes);
    this.cache.set(header as string, Object.freeze(caller), (caller.claims.exp as number) * 1000);
    return caller;
  }

  protected requireScope(caller: DcrCaller): void {
    const scope = this.auth.bearer?.requiredScope;
    if (scope !== undefined && !caller.scopes.includes(scope)) {
      throw DcrException.insufficientScope(this.auth.realm, scope);
    }
  }

  /** Session-less, whatever a host-wide PassportModule configured. */
  override getAuthenticateOptions(): { session: boolean; property: string } {
    return { session: false, property: 'user' };
  }

  override handleRequest<TUser = DcrCaller>(
    error: unknown,
    user: unknown,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    const failure = error ?? info;
    if (failure instanceof DcrException) throw failure;
    if (failure instanceof IssuerUnavailableError) throw DcrException.issuerUnavailable();
    if (failure instanceof InvalidAccessTokenError) {
      throw DcrException.invalidToken(this.auth.realm, failure.message);
    }
    if (!user) {
      const name = failure instanceof Error ? failure.name : '';
      const description = DESCRIPTION_BY_ERROR[name] ?? 'the access token is invalid';
      throw DcrException.invalidToken(this.auth.realm, description);
    }
    setDcrCaller(this.getRequest(context) as object, user as DcrCaller);
    return user as TUser;
  }
}
