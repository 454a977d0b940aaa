import {
  Controller,
  Header,
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

/** What Express and Fastify requests both carry once the host's body parser ran. */
interface RegistrationRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

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
  // One @Req() instead of @Headers() and @Body(): each parameter decorator costs per request.
  register(@Req() request: RegistrationRequest): Promise<RegistrationResponse> {
    const metadata = requireRegistrationBody(
      request.headers,
      request.body,
      this.options.maxBodyBytes,
    );
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
