import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  Headers,
  HttpCode,
  HttpStatus,
  Inject,
  Put,
  Req,
  UseFilters,
  UseGuards,
  type Type,
} from '@nestjs/common';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import { DcrExceptionFilter } from '../errors/dcr-exception.filter.js';
import { requireRegistrationBody } from '../registration/registration-body.js';
import type { RegistrationResponse } from '../registration/registration-response.generator.js';
import { ManagementService } from './management.service.js';
import {
  getManagedClient,
  RegistrationAccessTokenGuard,
} from './registration-access-token.guard.js';

/** The RFC 7592 client configuration endpoint: `<path>/:clientId`, behind the client's own token. */
@UseFilters(DcrExceptionFilter)
@UseGuards(RegistrationAccessTokenGuard)
export class ManagementController {
  constructor(
    private readonly management: ManagementService,
    @Inject(DCR_OPTIONS) private readonly options: ResolvedDcrOptions,
  ) {}

  @Get(':clientId')
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  read(@Req() request: object): RegistrationResponse {
    return this.management.read(request, getManagedClient(request));
  }

  @Put(':clientId')
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  update(
    @Req() request: object,
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
  ): Promise<RegistrationResponse> {
    const metadata = requireRegistrationBody(headers, body, this.options.maxBodyBytes);
    return this.management.update(request, getManagedClient(request), metadata);
  }

  @Delete(':clientId')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Req() request: object): Promise<void> {
    await this.management.delete(request, getManagedClient(request));
  }
}

/** Mounts the management endpoint below the registration path. */
export function createManagementController(path: string): Type<ManagementController> {
  @Controller(path)
  class DcrManagementController extends ManagementController {}
  return DcrManagementController;
}
