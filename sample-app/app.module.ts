import {
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module.js';
import { BootstrapClient } from './bootstrap-client.js';
import type { SampleConfig } from './config.js';
import { configureDcrModule } from './dcr-module.js';
import { HealthController } from './health.controller.js';
import { InitialAccessTokenController } from './initial-access-token.controller.js';
import { InteractionsModule } from './interactions/interactions.module.js';
import { OidcProviderModule } from './oidc/oidc-provider.module.js';

/** The deployable host: DCR at /connect/dcr, the embedded provider (mounted by main.ts) at /oidc. */
@Module({})
export class AppModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('SampleApp');

  static forRoot(config: SampleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configureDcrModule(config),
        OidcProviderModule.forRoot(config),
        AccountsModule,
        InteractionsModule,
      ],
      // Minting initial access tokens needs the bearer check of protected registration.
      controllers:
        config.registration === 'protected'
          ? [HealthController, InitialAccessTokenController]
          : [HealthController],
      providers: [BootstrapClient],
    };
  }

  beforeApplicationShutdown(signal?: string): void {
    this.logger.log(`stopping${signal ? ` (${signal})` : ''}: finishing in-flight requests`);
  }

  onApplicationShutdown(signal?: string): void {
    this.logger.log(`stopped${signal ? ` (${signal})` : ''}`);
  }
}
