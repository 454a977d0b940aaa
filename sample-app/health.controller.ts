import { Controller, Get, HttpCode, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ClientStore } from '../lib/index.js';

/** Liveness and readiness in one: 200 while the client store answers, 503 otherwise. */
@Controller('health')
export class HealthController {
  constructor(private readonly store: ClientStore) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  async check(): Promise<{ status: 'ok' }> {
    try {
      await this.store.ping();
    } catch {
      throw new ServiceUnavailableException({ status: 'unavailable' });
    }
    return { status: 'ok' };
  }
}
