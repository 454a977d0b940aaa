import { Inject, Injectable } from '@nestjs/common';
import { generateToken, hashSecret } from '../crypto/secrets.js';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import type { RegistrationPolicy } from '../registration/registration-policy.js';
import { ClientStore } from '../store/client-store.js';
import { checkRegistrationPolicy } from './registration-policy.check.js';

export interface MintInitialAccessTokenOptions {
  /** Lifetime in seconds; 0 = never expires. Default 86400 (one day). */
  expiresInSeconds?: number;
  /** How many registrations it allows; 0 = unlimited. Default 1. */
  maxUses?: number;
  /** Limits applied to every client registered with it (and to their later updates). */
  policy?: RegistrationPolicy;
}

export interface IssuedInitialAccessToken {
  /** The token, shown once: only its hash is stored. */
  token: string;
  /** Names the token in audit events (a prefix of its hash; says nothing about the token). */
  id: string;
  /** Seconds since the epoch; 0 = never. */
  expiresAt: number;
  maxUses: number;
}

export const DEFAULT_INITIAL_ACCESS_TOKEN_LIFETIME = 24 * 60 * 60;

/** 96 bits of the token's SHA-256: enough to tell tokens apart, nothing to find one by. */
export function initialAccessTokenId(tokenHash: string): string {
  return tokenHash.slice(0, 16);
}

function count(name: string, value: unknown, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || (resolved as number) < 0) {
    throw new RangeError(`${name} must be a non-negative integer`);
  }
  return resolved as number;
}

/**
 * Mints RFC 7591 §3 initial access tokens: 256 bits from the CSPRNG, stored
 * only as a SHA-256 hash with expiry, use limit and optional policy.
 */
@Injectable()
export class InitialAccessTokenService {
  constructor(
    private readonly store: ClientStore,
    @Inject(DCR_OPTIONS) private readonly options: ResolvedDcrOptions,
  ) {}

  async mint(options: MintInitialAccessTokenOptions = {}): Promise<IssuedInitialAccessToken> {
    const lifetime = count(
      'expiresInSeconds',
      options.expiresInSeconds,
      DEFAULT_INITIAL_ACCESS_TOKEN_LIFETIME,
    );
    const maxUses = count('maxUses', options.maxUses, 1);
    const policy =
      options.policy === undefined
        ? undefined
        : checkRegistrationPolicy('initialAccessToken.policy', options.policy, this.options);
    const token = generateToken(32);
    const tokenHash = hashSecret(token);
    const expiresAt = lifetime === 0 ? 0 : Math.floor(Date.now() / 1000) + lifetime;
    await this.store.saveInitialAccessToken({
      tokenHash,
      expiresAt,
      maxUses,
      uses: 0,
      ...(policy && { policy }),
    });
    return { token, id: initialAccessTokenId(tokenHash), expiresAt, maxUses };
  }
}
