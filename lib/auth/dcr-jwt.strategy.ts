import { decodeProtectedHeader } from 'jose';
import type { OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { Strategy as JwtStrategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import type { DcrCaller } from '../registration/dcr-caller.js';
import { bearerCaller } from './bearer-caller.js';
import { readBearerToken } from './bearer-token.js';
import { InvalidAccessTokenError } from './issuer-errors.js';
import type { IssuerKeys } from '../keys/issuer-keys.js';
import type { ResolvedBearerOptions } from './registration-auth.options.js';

/** The passport strategy name (ours, so the host's own `jwt` strategy is untouched). */
export const DCR_JWT_STRATEGY = 'nestjs-dcr-jwt';

/** `typ` values of an access token: RFC 9068 §2.1 (at+jwt) and the common JWT; absent is accepted. */
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt', 'jwt']);

interface CompleteJwt {
  header: { typ?: unknown };
  payload: Record<string, unknown>;
}

type KeyCallback = (error: unknown, key?: Buffer) => void;

let strategyInUse = false;

/**
 * passport-jwt with keys from IssuerKeys (node:crypto KeyObjects, resolved per
 * `kid`) and jsonwebtoken checking signature, alg allow-list, iss, aud, exp
 * and nbf. The token is read from the Authorization header only. Passport's
 * strategy registry is global, so one bearer-protected DcrModule per process.
 */
export class DcrJwtStrategy
  extends PassportStrategy(JwtStrategy, DCR_JWT_STRATEGY)
  implements OnModuleDestroy
{
  constructor(options: ResolvedBearerOptions, keys: IssuerKeys, realm: string) {
    if (strategyInUse) {
      throw new DcrConfigurationError(
        'registration.bearer',
        'is already used by another DcrModule in this process (passport strategies are global)',
      );
    }
    super({
      jwtFromRequest: (request: object) => readBearerToken(request, realm) ?? null,
      secretOrKeyProvider: (_request: unknown, token: string, done: KeyCallback) => {
        // jsonwebtoken takes a KeyObject as it is; the typings only know PEM strings and buffers.
        Promise.resolve()
          .then(() => keys.keyFor(decodeProtectedHeader(token)))
          .then((key) => done(null, key as unknown as Buffer), done);
      },
      issuer: options.issuer,
      audience: options.audience,
      algorithms: options.algorithms as StrategyOptionsWithoutRequest['algorithms'], // checked against the supported list
      jsonWebTokenOptions: { clockTolerance: options.clockToleranceSeconds, complete: true },
    });
    strategyInUse = true;
  }

  /** Runs after jsonwebtoken accepted the signature and the registered claims. */
  validate(jwt: CompleteJwt): DcrCaller {
    const { typ } = jwt.header;
    if (
      typ !== undefined &&
      (typeof typ !== 'string' || !ACCESS_TOKEN_TYPES.has(typ.toLowerCase()))
    ) {
      throw new InvalidAccessTokenError('the token is not an access token');
    }
    if (typeof jwt.payload.exp !== 'number') {
      throw new InvalidAccessTokenError('the access token has no expiry');
    }
    return bearerCaller(jwt.payload);
  }

  onModuleDestroy(): void {
    passport.unuse(DCR_JWT_STRATEGY);
    strategyInUse = false;
  }
}
