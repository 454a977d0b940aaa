import { ConfigurableModuleBuilder, type CanActivate, type Type } from '@nestjs/common';
import type { DcrAuditSink } from './audit/dcr-audit-sink.js';
import type { DcrModuleOptions } from './dcr.options.js';
import type { ClientIdMetadataPolicy } from './client-id-metadata/client-id-metadata.policy.js';
import type { ClientIdMetadataResolver } from './client-id-metadata/client-id-metadata.resolver.js';
import type { OutboundFetcher } from './fetch/outbound-fetcher.js';
import type { ClientMetadataValidator } from './metadata/client-metadata.validator.js';
import type { RegistrationProcessor } from './registration/registration.processor.js';
import type { RegistrationResponseGenerator } from './registration/registration-response.generator.js';
import type { SoftwareStatementValidator } from './software-statement/software-statement.validator.js';
import type { ClientStore } from './store/client-store.js';

/**
 * What shapes the module, given at the top level of forRoot / forRootAsync
 * (never from the async factory, which returns data only).
 */
export interface DcrModuleExtras {
  /** Register the module globally. Default false. */
  isGlobal?: boolean;
  /** Route of the registration endpoint. Default `connect/dcr`. */
  path?: string;
  /** Guards protecting the endpoint, applied with @UseGuards in this order. */
  guards?: Type<CanActivate>[];
  /** Replaces the metadata validator. */
  validator?: Type<ClientMetadataValidator>;
  /**
   * Replaces the software statement validator (default: JwtSoftwareStatementValidator
   * when the `softwareStatements` option is set, statements ignored otherwise).
   */
  softwareStatementValidator?: Type<SoftwareStatementValidator>;
  /** Replaces the registration processor. */
  processor?: Type<RegistrationProcessor>;
  /** Replaces the response generator. */
  responseGenerator?: Type<RegistrationResponseGenerator>;
  /** A ClientStore class of your own, instead of the store the `storage` option names. */
  store?: Type<ClientStore>;
  /** Receives the audit events. Default: LoggerDcrAuditSink (one JSON log line each). */
  auditSink?: Type<DcrAuditSink>;
  /** Replaces the guarded outbound fetcher (it must keep its address, redirect and size rules). */
  fetcher?: Type<OutboundFetcher>;
  /** Decides which hosts' Client ID Metadata Documents are trusted (default: the host lists in the options). */
  clientIdMetadataPolicy?: Type<ClientIdMetadataPolicy>;
  /** Replaces the Client ID Metadata Document resolver. */
  clientIdMetadataResolver?: Type<ClientIdMetadataResolver>;
}

export const DEFAULT_DCR_PATH = 'connect/dcr';

export const {
  ConfigurableModuleClass: DcrConfigurableModule,
  MODULE_OPTIONS_TOKEN: DCR_MODULE_OPTIONS,
  OPTIONS_TYPE: DCR_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: DCR_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DcrModuleOptions>({ moduleName: 'Dcr' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createDcrOptions')
  // Every extra is listed so that none of them leaks into the data options.
  .setExtras<DcrModuleExtras>(
    {
      isGlobal: false,
      path: DEFAULT_DCR_PATH,
      guards: undefined,
      validator: undefined,
      softwareStatementValidator: undefined,
      processor: undefined,
      responseGenerator: undefined,
      store: undefined,
      auditSink: undefined,
      fetcher: undefined,
      clientIdMetadataPolicy: undefined,
      clientIdMetadataResolver: undefined,
    },
    (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }),
  )
  .build();

/** The resolved (defaulted, checked) options; inject with @Inject(DCR_OPTIONS). */
export const DCR_OPTIONS = Symbol.for('nestjs-dcr.resolved-options');

/** The registration route path the module was given (the `path` extra). */
export const DCR_PATH = Symbol.for('nestjs-dcr.path');
