import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { setDcrCaller } from '../registration/dcr-caller.js';
import type { RegistrationPolicy } from '../registration/registration-policy.js';
import { BearerOrInitialAccessTokenGuard } from './bearer-or-initial-access-token.guard.js';
import { readBearerToken } from './bearer-token.js';
import type { ResolvedRegistrationAuthOptions } from './registration-auth.options.js';
import { DCR_REGISTRATION_AUTH } from './registration-auth.tokens.js';
import { RegistrationRateLimiter } from './registration-rate-limiter.js';

type ClientAddress = { ip?: string; socket?: { remoteAddress?: string } };

/**
 * Anonymous registration (RFC 7591 §3 allows it): every request counts
 * against a per-address rate limit; a presented token is judged as in the
 * protected modes; an anonymous caller gets the anonymous policy, which the
 * metadata validator enforces.
 */
@Injectable()
export class OpenRegistrationGuard implements CanActivate {
  constructor(
    private readonly tokens: BearerOrInitialAccessTokenGuard,
    @Inject(DCR_REGISTRATION_AUTH) protected readonly auth: ResolvedRegistrationAuthOptions,
    // null when the limit is off (a union type needs the explicit token)
    @Inject(RegistrationRateLimiter) private readonly rateLimiter: RegistrationRateLimiter | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<object>();
    if (this.rateLimiter) await this.rateLimiter.hit(this.clientAddress(request));
    if (readBearerToken(request, this.auth.realm) !== undefined) {
      return this.tokens.canActivate(context);
    }
    const policy = await this.anonymousPolicy(request);
    setDcrCaller(request, { kind: 'anonymous', scopes: [], claims: {}, ...(policy && { policy }) });
    return true;
  }

  /** The address the host's adapter reports (it honours the host's trust-proxy setting). */
  protected clientAddress(request: object): string {
    const { ip, socket } = request as ClientAddress;
    return ip ?? socket?.remoteAddress ?? 'unknown';
  }

  protected async anonymousPolicy(request: object): Promise<RegistrationPolicy | undefined> {
    const policy = this.auth.anonymousPolicy;
    return typeof policy === 'function' ? policy(request) : policy;
  }
}
