import type { Provider } from '@nestjs/common';
import { DCR_MODULE_OPTIONS, DCR_OPTIONS } from '../dcr.module-definition.js';
import type { DcrModuleOptions, ResolvedDcrOptions } from '../dcr.options.js';
import { BearerOrInitialAccessTokenGuard } from './bearer-or-initial-access-token.guard.js';
import { DcrJwtStrategy } from './dcr-jwt.strategy.js';
import { InitialAccessTokenGuard } from './initial-access-token.guard.js';
import { InitialAccessTokenService } from './initial-access-token.service.js';
import { IssuerKeys } from '../keys/issuer-keys.js';
import { OpenRegistrationGuard } from './open-registration.guard.js';
import { RegistrationAuthGuard } from './registration-auth.guard.js';
import {
  resolveRegistrationAuthOptions,
  type ResolvedRegistrationAuthOptions,
} from './registration-auth.options.js';
import { DCR_REGISTRATION_AUTH } from './registration-auth.tokens.js';
import { RegistrationRateLimiter } from './registration-rate-limiter.js';
import { ScopeGuard } from './scope.guard.js';

/** What DcrModule registers for endpoint protection; `registration` is checked at bootstrap. */
export const registrationAuthProviders: Provider[] = [
  {
    provide: DCR_REGISTRATION_AUTH,
    useFactory: (options: DcrModuleOptions | undefined, dcrOptions: ResolvedDcrOptions) =>
      resolveRegistrationAuthOptions(options?.registration, dcrOptions),
    inject: [DCR_MODULE_OPTIONS, DCR_OPTIONS],
  },
  {
    // Only bearer-capable configurations register a passport strategy.
    provide: DcrJwtStrategy,
    useFactory: ({ bearer, realm }: ResolvedRegistrationAuthOptions) =>
      bearer
        ? new DcrJwtStrategy(bearer, new IssuerKeys(bearer, 'registration.bearer.jwks'), realm)
        : null,
    inject: [DCR_REGISTRATION_AUTH],
  },
  {
    provide: RegistrationRateLimiter,
    useFactory: ({ rateLimit }: ResolvedRegistrationAuthOptions) =>
      rateLimit ? new RegistrationRateLimiter(rateLimit) : null,
    inject: [DCR_REGISTRATION_AUTH],
  },
  ScopeGuard,
  InitialAccessTokenGuard,
  BearerOrInitialAccessTokenGuard,
  OpenRegistrationGuard,
  RegistrationAuthGuard,
  InitialAccessTokenService,
];
