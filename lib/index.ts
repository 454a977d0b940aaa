// The public API: explicit named exports only.
export { DcrModule } from './dcr.module.js';
export {
  DCR_MODULE_OPTIONS,
  DCR_OPTIONS,
  DEFAULT_DCR_PATH,
  type DcrModuleExtras,
} from './dcr.module-definition.js';
export {
  DEFAULT_AUTH_METHODS,
  DEFAULT_GRANT_TYPES,
  DEFAULT_MAX_BODY_BYTES,
  resolveDcrOptions,
  type DcrModuleOptions,
  type ResolvedDcrOptions,
} from './dcr.options.js';

export { ScopeGuard } from './auth/scope.guard.js';
export { InitialAccessTokenGuard } from './auth/initial-access-token.guard.js';
export { BearerOrInitialAccessTokenGuard } from './auth/bearer-or-initial-access-token.guard.js';
export { OpenRegistrationGuard } from './auth/open-registration.guard.js';
export { RegistrationAuthGuard } from './auth/registration-auth.guard.js';
export {
  InitialAccessTokenService,
  type IssuedInitialAccessToken,
  type MintInitialAccessTokenOptions,
} from './auth/initial-access-token.service.js';
export { InMemoryThrottlerStorage } from './auth/in-memory-throttler-storage.js';
export {
  DEFAULT_REQUIRED_SCOPE,
  type AnonymousPolicy,
  type BearerAuthOptions,
  type RegistrationAuthMode,
  type RegistrationAuthOptions,
  type RegistrationRateLimitOptions,
  type ResolvedBearerOptions,
  type ResolvedRateLimit,
  type ResolvedRegistrationAuthOptions,
} from './auth/registration-auth.options.js';
export { RegistrationRateLimiter } from './auth/registration-rate-limiter.js';
export { DCR_REGISTRATION_AUTH } from './auth/registration-auth.tokens.js';
export { DCR_JWT_STRATEGY } from './auth/dcr-jwt.strategy.js';

export { DcrErrorCode } from './errors/dcr-error-code.js';
export { DcrException, type DcrErrorBody } from './errors/dcr.exception.js';
export { DcrConfigurationError } from './errors/dcr-configuration.error.js';
export { DcrExceptionFilter, toDcrException } from './errors/dcr-exception.filter.js';

export {
  OutboundFetcher,
  type OutboundJsonResponse,
  type OutboundRequest,
  type OutboundResponse,
} from './fetch/outbound-fetcher.js';
export { GuardedOutboundFetcher } from './fetch/guarded-outbound-fetcher.js';
export { DCR_FETCH_OPTIONS } from './fetch/fetch.tokens.js';
export { OutboundFetchError, type OutboundFetchErrorCode } from './fetch/outbound-fetch.errors.js';
export {
  resolveOutboundFetchOptions,
  type HostResolver,
  type OutboundFetchOptions,
  type ResolvedAddress,
  type ResolvedOutboundFetchOptions,
} from './fetch/outbound-fetch.options.js';
export { isSpecialPurposeAddress } from './fetch/special-purpose-address.js';

export {
  ClientIdMetadataResolver,
  DefaultClientIdMetadataResolver,
  type ResolvedClientIdMetadata,
} from './client-id-metadata/client-id-metadata.resolver.js';
export {
  ClientIdMetadataPolicy,
  HostListClientIdMetadataPolicy,
} from './client-id-metadata/client-id-metadata.policy.js';
export {
  ClientIdMetadataError,
  type ClientIdMetadataErrorCode,
} from './client-id-metadata/client-id-metadata.errors.js';
export type {
  ClientIdMetadataDocumentOptions,
  ResolvedClientIdMetadataDocumentOptions,
} from './client-id-metadata/client-id-metadata.options.js';
export { looksLikeClientIdUrl, parseClientIdUrl } from './client-id-metadata/client-id-url.js';
export { redirectUriMatches } from './client-id-metadata/redirect-uri-match.js';

export type { ClientMetadata } from './metadata/client-metadata.js';
export { ClientMetadataValidator } from './metadata/client-metadata.validator.js';
export { DefaultClientMetadataValidator } from './metadata/default-client-metadata.validator.js';
export {
  CLIENT_METADATA_RULES,
  type MemberRule,
  type MemberType,
  type MetadataRules,
  type UriKind,
} from './metadata/client-metadata.rules.js';
export { invalidMember } from './metadata/invalid-member.js';

export { getDcrCaller, setDcrCaller, type DcrCaller } from './registration/dcr-caller.js';
export type { RegistrationPolicy } from './registration/registration-policy.js';
export {
  RegistrationContext,
  type RegistrationResult,
} from './registration/registration-context.js';
export { RegistrationProcessor } from './registration/registration.processor.js';
export { DefaultRegistrationProcessor } from './registration/default-registration.processor.js';
export {
  RegistrationResponseGenerator,
  type RegistrationResponse,
} from './registration/registration-response.generator.js';
export { DefaultRegistrationResponseGenerator } from './registration/default-registration-response.generator.js';
export { RegistrationService } from './registration/registration.service.js';
export { SectorIdentifierVerifier } from './registration/sector-identifier.verifier.js';

export {
  SoftwareStatementValidator,
  type VerifiedSoftwareStatement,
} from './software-statement/software-statement.validator.js';
export { IgnoringSoftwareStatementValidator } from './software-statement/ignoring-software-statement.validator.js';
export { JwtSoftwareStatementValidator } from './software-statement/jwt-software-statement.validator.js';
/** jose's claims type, which `JwtSoftwareStatementValidator.checkBinding` takes. */
export type { JWTPayload } from 'jose';
export type {
  ResolvedSoftwareStatementIssuer,
  ResolvedSoftwareStatementOptions,
  SoftwareStatementOptions,
  TrustedSoftwareStatementIssuer,
} from './software-statement/software-statement.options.js';
export { ASYMMETRIC_JWS_ALGORITHMS, RSA_EC_JWS_ALGORITHMS } from './keys/jws-algorithms.js';

export { ClientStore } from './store/client-store.js';
export type { ClientChangeListener, ClientChangeSubscription } from './store/client-changes.js';
export { ClientLookupCache, type ClientLookupCacheOptions } from './store/client-lookup-cache.js';
export {
  ClientUseRecorder,
  DEFAULT_USE_WRITE_INTERVAL_MS,
  type ClientUseRecorderOptions,
} from './store/client-use-recorder.js';
export { InMemoryClientStore } from './store/in-memory-client-store.js';
export { ClientAlreadyExistsError, StoreUnavailableError } from './store/store.errors.js';
export { ClientPruner, type PruneResult } from './store/client-pruner.js';
export {
  DCR_STORE_OPTIONS,
  type DcrStorageOptions,
  type DcrStoreModuleOptions,
  type ResolvedStorage,
  type ResolvedStoreOptions,
} from './store/store.options.js';
export { PostgresClientStore } from './store/postgres/postgres-client-store.js';
export {
  PgPoolDatabase,
  type PgPoolClientLike,
  type PgPoolLike,
  type PgQueryConfig,
} from './store/postgres/pg-pool-database.js';
export { PGliteDatabase, type PGliteLike } from './store/postgres/pglite-database.js';
export { openPGlite } from './store/postgres/open-pglite.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './store/postgres/migrations.js';
export type {
  SqlDatabase,
  SqlListener,
  SqlNotificationHandler,
  SqlQueryable,
  SqlQueryOptions,
  SqlResult,
} from './store/postgres/sql-database.js';
export type { PgNotification } from './store/postgres/pg-notification-listener.js';
export type { StoredClient, StoredInitialAccessToken } from './store/stored-client.js';
export { generateToken, hashSecret, secretMatchesHash } from './crypto/secrets.js';

export { DcrAuditSink } from './audit/dcr-audit-sink.js';
export { DcrAuditor } from './audit/dcr-auditor.js';
export { LoggerDcrAuditSink } from './audit/logger-audit-sink.js';
export type { DcrAuditCaller, DcrAuditEvent, DcrAuditEventType } from './audit/dcr-audit-event.js';
export {
  DEFAULT_METADATA_LIMITS,
  MEMBER_LIMIT_RULES,
  type LengthCap,
  type MemberLimitRule,
  type MetadataLimits,
} from './metadata/member-limits.rules.js';
