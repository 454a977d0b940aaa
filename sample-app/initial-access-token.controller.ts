import {
  Body,
  Controller,
  Header,
  HttpCode,
  HttpStatus,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  DcrException,
  DcrExceptionFilter,
  InitialAccessTokenService,
  ScopeGuard,
  type IssuedInitialAccessToken,
} from '../lib/index.js';

interface MintRequest {
  expires_in?: unknown;
  max_uses?: unknown;
}

function optionalCount(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw DcrException.invalidRequest(`${name} must be a non-negative integer`);
  }
  return value as number;
}

/**
 * Hands out RFC 7591 §3 initial access tokens to holders of the registration
 * scope: a pipeline can give a team a one-time token instead of its own
 * credentials. Shows a host route reusing the module's ScopeGuard.
 */
@Controller('connect/initial-access-tokens')
@UseGuards(ScopeGuard)
@UseFilters(DcrExceptionFilter)
export class InitialAccessTokenController {
  constructor(private readonly tokens: InitialAccessTokenService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  async mint(@Body() body: MintRequest | undefined): Promise<Record<string, unknown>> {
    const issued: IssuedInitialAccessToken = await this.tokens.mint({
      expiresInSeconds: optionalCount('expires_in', body?.expires_in) ?? 3600,
      maxUses: optionalCount('max_uses', body?.max_uses) ?? 1,
    });
    return {
      initial_access_token: issued.token,
      expires_at: issued.expiresAt,
      max_uses: issued.maxUses,
    };
  }
}
