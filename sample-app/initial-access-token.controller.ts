import {
  Body,
  Controller,
  Header,
  HttpCode,
  HttpStatus,
  Post,
  UseFilters,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import {
  DcrException,
  DcrExceptionFilter,
  InitialAccessTokenService,
  ScopeGuard,
} from '../lib/index.js';
import { MintInitialAccessTokenDto } from './mint-initial-access-token.dto.js';

/** Checks the body with class-validator; its first complaint becomes an RFC error. */
function mintRequestPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) =>
      DcrException.invalidRequest(
        Object.values(errors[0]?.constraints ?? {})[0] ?? 'the request body is invalid',
      ),
  });
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
  async mint(
    @Body(mintRequestPipe()) body: MintInitialAccessTokenDto,
  ): Promise<Record<string, unknown>> {
    const issued = await this.tokens.mint({
      expiresInSeconds: body.expires_in ?? 3600,
      maxUses: body.max_uses ?? 1,
    });
    return {
      initial_access_token: issued.token,
      expires_at: issued.expiresAt,
      max_uses: issued.maxUses,
    };
  }
}
