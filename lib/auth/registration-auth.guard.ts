import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { BearerOrInitialAccessTokenGuard } from './bearer-or-initial-access-token.guard.js';
import { InitialAccessTokenGuard } from './initial-access-token.guard.js';
import { OpenRegistrationGuard } from './open-registration.guard.js';
import type { ResolvedRegistrationAuthOptions } from './registration-auth.options.js';
import { DCR_REGISTRATION_AUTH } from './registration-auth.tokens.js';
import { ScopeGuard } from './scope.guard.js';

/** The module's guard on the registration endpoint: dispatches to the guard `registration.mode` names. */
@Injectable()
export class RegistrationAuthGuard implements CanActivate {
  private readonly guard: CanActivate;

  constructor(
    @Inject(DCR_REGISTRATION_AUTH) auth: ResolvedRegistrationAuthOptions,
    bearer: ScopeGuard,
    initialAccessToken: InitialAccessTokenGuard,
    either: BearerOrInitialAccessTokenGuard,
    open: OpenRegistrationGuard,
  ) {
    this.guard = {
      bearer,
      initial_access_token: initialAccessToken,
      bearer_or_initial_access_token: either,
      open,
    }[auth.mode];
  }

  // Passed through as is (Nest awaits it): another await would cost a microtask per request.
  canActivate(context: ExecutionContext): ReturnType<CanActivate['canActivate']> {
    return this.guard.canActivate(context);
  }
}
