import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { hashSecret } from '../crypto/secrets.js';
import { DcrException } from '../errors/dcr.exception.js';
import { setDcrCaller } from '../registration/dcr-caller.js';
import { ClientStore } from '../store/client-store.js';
import { readBearerToken } from './bearer-token.js';
import { initialAccessTokenId } from './initial-access-token.service.js';
import type { ResolvedRegistrationAuthOptions } from './registration-auth.options.js';
import { DCR_REGISTRATION_AUTH } from './registration-auth.tokens.js';

/**
 * Accepts an RFC 7591 §3 initial access token as a bearer token, spending one
 * use atomically in the store (so concurrent requests never overspend it).
 * The caller gets the token's policy. A use is spent when the guard lets the
 * request in, even if the registration then fails validation.
 */
@Injectable()
export class InitialAccessTokenGuard implements CanActivate {
  constructor(
    private readonly store: ClientStore,
    @Inject(DCR_REGISTRATION_AUTH) protected readonly auth: ResolvedRegistrationAuthOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<object>();
    const token = readBearerToken(request, this.auth.realm);
    if (token === undefined) throw DcrException.bearerTokenRequired(this.auth.realm);
    const tokenHash = hashSecret(token);
    const stored = await this.store.consumeInitialAccessToken(
      tokenHash,
      Math.floor(Date.now() / 1000),
    );
    if (!stored) {
      throw DcrException.invalidToken(
        this.auth.realm,
        'the initial access token is unknown, expired or used up',
      );
    }
    setDcrCaller(request, {
      kind: 'initial_access_token',
      tokenId: initialAccessTokenId(tokenHash),
      scopes: [],
      claims: {},
      ...(stored.policy && { policy: stored.policy }),
    });
    return true;
  }
}
