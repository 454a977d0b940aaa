import { Module } from '@nestjs/common';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { loadOrCreateProviderKeys } from '../oidc/provider-keys.js';
import { InteractionCsrf } from './interaction-csrf.js';
import { InteractionController } from './interaction.controller.js';
import { SignInThrottle } from './sign-in-throttle.js';

/** The sign-in and consent pages (the provider's interactions). */
@Module({
  controllers: [InteractionController],
  providers: [
    {
      provide: InteractionCsrf,
      useFactory: async (config: SampleConfig) =>
        new InteractionCsrf((await loadOrCreateProviderKeys(config.dataDir)).cookieKeys[0]),
      inject: [SAMPLE_CONFIG],
    },
    { provide: SignInThrottle, useValue: new SignInThrottle() },
  ],
})
export class InteractionsModule {}
