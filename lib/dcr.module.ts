import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import {
  DCR_ASYNC_OPTIONS_TYPE,
  DCR_MODULE_OPTIONS,
  DCR_OPTIONS,
  DCR_OPTIONS_TYPE,
  DEFAULT_DCR_PATH,
  DcrConfigurableModule,
  type DcrModuleExtras,
} from './dcr.module-definition.js';
import { resolveDcrOptions, type DcrModuleOptions } from './dcr.options.js';
import { DcrConfigurationError } from './errors/dcr-configuration.error.js';
import { ClientMetadataValidator } from './metadata/client-metadata.validator.js';
import { DefaultClientMetadataValidator } from './metadata/default-client-metadata.validator.js';
import { DefaultRegistrationProcessor } from './registration/default-registration.processor.js';
import { DefaultRegistrationResponseGenerator } from './registration/default-registration-response.generator.js';
import { createRegistrationController } from './registration/registration.controller.js';
import { RegistrationProcessor } from './registration/registration.processor.js';
import { RegistrationResponseGenerator } from './registration/registration-response.generator.js';
import { RegistrationService } from './registration/registration.service.js';
import { IgnoringSoftwareStatementValidator } from './software-statement/ignoring-software-statement.validator.js';
import { SoftwareStatementValidator } from './software-statement/software-statement.validator.js';
import { ClientPruner } from './store/client-pruner.js';
import { ClientStore } from './store/client-store.js';
import { clientStoreProviders } from './store/store.providers.js';

function routePath(path: unknown): string {
  if (typeof path !== 'string' || path.replace(/^\/+|\/+$/g, '') === '') {
    throw new DcrConfigurationError('path', 'must be a non-empty route path');
  }
  return path;
}

/** Adds the pipeline, store and controller that forRoot's extras select. */
function withPipeline(definition: DynamicModule, extras: DcrModuleExtras): DynamicModule {
  const providers: Provider[] = [
    {
      provide: DCR_OPTIONS,
      useFactory: (options: DcrModuleOptions) => resolveDcrOptions(options),
      inject: [DCR_MODULE_OPTIONS],
    },
    ...clientStoreProviders(extras.store),
    {
      provide: SoftwareStatementValidator,
      useClass: IgnoringSoftwareStatementValidator,
    },
    {
      provide: ClientMetadataValidator,
      useClass: extras.validator ?? DefaultClientMetadataValidator,
    },
    { provide: RegistrationProcessor, useClass: extras.processor ?? DefaultRegistrationProcessor },
    {
      provide: RegistrationResponseGenerator,
      useClass: extras.responseGenerator ?? DefaultRegistrationResponseGenerator,
    },
    RegistrationService,
  ];
  return {
    ...definition,
    controllers: [
      createRegistrationController(routePath(extras.path ?? DEFAULT_DCR_PATH), extras.guards ?? []),
    ],
    providers: [...(definition.providers ?? []), ...providers],
    exports: [
      ...(definition.exports ?? []),
      DCR_OPTIONS,
      ClientStore,
      ClientPruner,
      RegistrationService,
    ],
  };
}

/**
 * OAuth 2.0 Dynamic Client Registration for a Nest app:
 * `DcrModule.forRoot({ ...options, path, guards })` mounts `POST /connect/dcr`.
 */
@Module({})
export class DcrModule extends DcrConfigurableModule {
  static override forRoot(options: typeof DCR_OPTIONS_TYPE = {}): DynamicModule {
    return withPipeline(super.forRoot(options), options);
  }

  static override forRootAsync(options: typeof DCR_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withPipeline(super.forRootAsync(options), options);
  }
}
