import {
  Body,
  Controller,
  Header,
  Headers,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Req,
  UseFilters,
  UseGuards,
  type CanActivate,
  type Type,
} from '@nestjs/common';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import { DcrExceptionFilter } from '../errors/dcr-exception.filter.js';
import { requireRegistrationBody } from './registration-body.js';
import type { RegistrationResponse } from './registration-response.generator.js';
import { RegistrationService } from './registration.service.js';

/** The RFC 7591 registration endpoint; its route and guards come from forRoot (createRegistrationController). */
@UseFilters(DcrExceptionFilter)
export class RegistrationController {
  constructor(
    private readonly registration: RegistrationService,
    @Inject(DCR_OPTIONS) private readonly options: ResolvedDcrOptions,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  register(
    @Req() request: object,
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
  ): Promise<RegistrationResponse> {
    const metadata = requireRegistrationBody(headers, body, this.options.maxBodyBytes);
    return this.registration.register(request, metadata);
  }
}

/** Mounts the controller at `path`, behind `guards` (a subclass per module instance). */
export function createRegistrationController(
  path: string,
  guards: Type<CanActivate>[],
): Type<RegistrationController> {
  @Controller(path)
  @UseGuards(...guards)
  class DcrRegistrationController extends RegistrationController {}
  return DcrRegistrationController;
}
