import 'reflect-metadata';
import { Body, Controller, HttpCode, HttpStatus, Module, Post } from '@nestjs/common';
import type { StartServer } from '../scenario.js';
import { startNestApp } from './nest-app.js';

/** The Nest floor: a controller that takes the parsed body and answers 201, nothing else. */
@Controller('connect/dcr')
class BareRegistrationController {
  private issued = 0;

  @Post()
  @HttpCode(HttpStatus.CREATED)
  register(@Body() body: { client_name?: unknown }): Record<string, unknown> {
    return { client_id: String(++this.issued), client_name: body.client_name };
  }
}

@Module({ controllers: [BareRegistrationController] })
export class BareNestModule {}

export const startServer: StartServer = async (params) => ({
  url: (await startNestApp(BareNestModule, params)) + '/connect/dcr',
});
