import {
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import {
  DCR_ASYNC_OPTIONS_TYPE,
  DCR_MODULE_OPTIONS,
  DCR_OPTIONS,
  DCR_OPTIONS_TYPE,
  DCR_PATH,
  DEFAULT_DCR_PATH,
  DcrConfigurableModule,
  type DcrModuleExtras,
} from './dcr.module-definition.js';
import { DcrAuditSink } from './audit/dcr-audit-sink.js';
import { DcrAuditor } from './audit/dcr-auditor.js';
import { LoggerDcrAuditSink } from './audit/logger-audit-sink.js';
import { InitialAccessTokenService } from './auth/initial-access-token.service.js';
import { RegistrationAuthGuard } from './auth/registration-auth.guard.js';
import { registrationAuthProviders } from './auth/registration-auth.providers.js';
import {
  resolveDcrOptions,
  type DcrModuleOptions,
  type ResolvedDcrOptions,
} from './dcr.options.js';
import { DCR_REGISTRATION_AUTH } from './auth/registration-auth.tokens.js';
import { DcrConfigurationError } from './errors/dcr-configuration.error.js';
import { createManagementController } from './management/management.controller.js';
import { ManagementService } from './management/management.service.js';
import { RegistrationAccessTokenGuard } from './management/registration-access-token.guard.js';
import {
  ClientIdMetadataPolicy,
  HostListClientIdMetadataPolicy,
} from './client-id-metadata/client-id-metadata.policy.js';
import {
  ClientIdMetadataResolver,
  DefaultClientIdMetadataResolver,
} from './client-id-metadata/client-id-metadata.resolver.js';
import { DCR_FETCH_OPTIONS } from './fetch/fetch.tokens.js';
import { GuardedOutboundFetcher } from './fetch/guarded-outbound-fetcher.js';
import { OutboundFetcher } from './fetch/outbound-fetcher.js';
import { ClientMetadataValidator } from './metadata/client-metadata.validator.js';
import { DefaultClientMetadataValidator } from './metadata/default-client-metadata.validator.js';
import { DcrCorsMiddleware } from './registration/cors.middleware.js';
import { DcrBodyErrorTranslator } from './registration/body-error-translator.js';
import { DefaultRegistrationProcessor } from './registration/default-registration.processor.js';
import { DefaultRegistrationResponseGenerator } from './registration/default-registration-response.generator.js';
import { createRegistrationController } from './registration/registration.controller.js';
import { RegistrationProcessor } from './registration/registration.processor.js';
import { RegistrationResponseGenerator } from './registration/registration-response.generator.js';
import { RegistrationService } from './registration/registration.service.js';
import { SectorIdentifierVerifier } from './registration/sector-identifier.verifier.js';
import { softwareStatementValidatorProvider } from './software-statement/software-statement-validator.provider.js';
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
  const path = routePath(extras.path ?? DEFAULT_DCR_PATH);
  const providers: Provider[] = [
    { provide: DCR_PATH, useValue: path },
    DcrBodyErrorTranslator,
    {
      provide: DCR_OPTIONS,
      useFactory: (options: DcrModuleOptions) => resolveDcrOptions(options),
      inject: [DCR_MODULE_OPTIONS],
    },
    {
      provide: DCR_FETCH_OPTIONS,
      useFactory: (options: ResolvedDcrOptions) => options.fetch,
      inject: [DCR_OPTIONS],
    },
    { provide: OutboundFetcher, useClass: extras.fetcher ?? GuardedOutboundFetcher },
    {
      provide: ClientIdMetadataPolicy,
      useClass: extras.clientIdMetadataPolicy ?? HostListClientIdMetadataPolicy,
    },
    {
      provide: ClientIdMetadataResolver,
      useClass: extras.clientIdMetadataResolver ?? DefaultClientIdMetadataResolver,
    },
    ...clientStoreProviders(extras.store),
    softwareStatementValidatorProvider(extras.softwareStatementValidator),
    {
      provide: ClientMetadataValidator,
      useClass: extras.validator ?? DefaultClientMetadataValidator,
    },
    { provide: RegistrationProcessor, useClass: extras.processor ?? DefaultRegistrationProcessor },
    {
      provide: RegistrationResponseGenerator,
      useClass: extras.responseGenerator ?? DefaultRegistrationResponseGenerator,
    },
    { provide: DcrAuditSink, useClass: extras.auditSink ?? LoggerDcrAuditSink },
    DcrAuditor,
    SectorIdentifierVerifier,
    RegistrationService,
    ManagementService,
    RegistrationAccessTokenGuard,
    ...registrationAuthProviders,
  ];
  return {
    ...definition,
    controllers: [
      createRegistrationController(path, [RegistrationAuthGuard, ...(extras.guards ?? [])]),
      createManagementController(path),
    ],
    providers: [...(definition.providers ?? []), ...providers],
    exports: [
      ...(definition.exports ?? []),
      DCR_OPTIONS,
      ClientStore,
      RegistrationService,
      InitialAccessTokenService,
      ClientPruner,
      DcrAuditSink,
      OutboundFetcher,
      ClientIdMetadataResolver,
      // So that a host route can use @UseGuards(ScopeGuard) with the same issuer and scope.
      DCR_REGISTRATION_AUTH,
    ],
  };
}

/**
 * OAuth 2.0 Dynamic Client Registration for a Nest app:
 * `DcrModule.forRoot({ ...options, path, guards })` mounts `POST /connect/dcr`.
 */
@Module({})
export class DcrModule extends DcrConfigurableModule implements NestModule {
  constructor(
    @Inject(DCR_PATH) private readonly path: string,
    @Inject(DCR_OPTIONS) private readonly options: ResolvedDcrOptions,
  ) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    // Without CORS the middleware would do nothing, but each dispatch costs.
    if (this.options.corsOrigins === undefined) return;
    consumer
      .apply(DcrCorsMiddleware)
      .forRoutes(
        { path: this.path, method: RequestMethod.ALL },
        { path: `${this.path}/:clientId`, method: RequestMethod.ALL },
      );
  }

  static override forRoot(options: typeof DCR_OPTIONS_TYPE = {}): DynamicModule {
    return withPipeline(super.forRoot(options), options);
  }

  static override forRootAsync(options: typeof DCR_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withPipeline(super.forRootAsync(options), options);
  }
}
