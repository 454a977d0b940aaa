import { join } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import {
  DcrModule,
  LoggerDcrAuditSink,
  type DcrModuleOptions,
  type RegistrationAuthOptions,
} from '../lib/index.js';
import type { SampleConfig } from './config.js';
import { GRANT_TYPES, registrableScopes, TOKEN_ENDPOINT_AUTH_METHODS } from './oidc/discovery.js';
import { ResourceServers } from './oidc/resources.js';
import { SoftwareIdStatementValidator } from './software-id-statement.validator.js';
import { ProviderClientMetadataValidator } from './oidc/provider-client-metadata.validator.js';
import { loadOrCreateProviderKeys, publicJwks } from './oidc/provider-keys.js';

/**
 * `protected`: a JWT access token with the registration scope, or an initial
 * access token; `open`: anyone, rate limited per address. Tokens of the
 * embedded provider are checked with its public keys, read from the data
 * directory: no HTTP round trip to ourselves, wherever the public URL points.
 */
async function registrationAuth(config: SampleConfig): Promise<RegistrationAuthOptions> {
  if (config.registration === 'open') return { mode: 'open' };
  const { embedded, issuer, jwksUri, audience, requiredScope } = config.token;
  const keys = embedded
    ? { jwks: publicJwks(await loadOrCreateProviderKeys(config.dataDir)) }
    : { jwksUri };
  return {
    mode: 'bearer_or_initial_access_token',
    bearer: { issuer, audience, requiredScope, ...keys },
  };
}

/** DATABASE_URL: PostgreSQL; unset: embedded PGlite in the data directory (no server to run). */
function storage(config: SampleConfig): DcrModuleOptions['storage'] {
  return config.databaseUrl
    ? { kind: 'postgres', connectionString: config.databaseUrl }
    : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
}

/** A trusted software statement issuer, when DCR_SOFTWARE_STATEMENT_ISSUER is set. */
function softwareStatements(config: SampleConfig): DcrModuleOptions['softwareStatements'] {
  if (!config.softwareStatement) return undefined;
  return {
    issuers: [config.softwareStatement],
    required: config.softwareStatementRequired,
  };
}

/**
 * The one place where the configuration becomes DcrModule options, classes
 * and guards. Global, so that the embedded provider reads the same ClientStore.
 */
export function configureDcrModule(config: SampleConfig): DynamicModule {
  return DcrModule.forRootAsync({
    isGlobal: true,
    validator: ProviderClientMetadataValidator,
    // Audit events (registered, updated, deleted, rejected, caller refused) as JSON log lines.
    auditSink: LoggerDcrAuditSink,
    // Only with a trusted issuer: the JWT validator needs one (see softwareStatements below).
    softwareStatementValidator: config.softwareStatement ? SoftwareIdStatementValidator : undefined,
    useFactory: async (): Promise<DcrModuleOptions> => ({
      publicBaseUrl: config.publicUrl,
      // Exactly what the provider serves and advertises (oidc/discovery.ts).
      grantTypes: GRANT_TYPES,
      tokenEndpointAuthMethods: TOKEN_ENDPOINT_AUTH_METHODS,
      // The OIDC scopes and the resource servers' scopes, never the registration
      // scope (only the bootstrap client holds it); a client that names none
      // registers them all, and the user's consent narrows each grant.
      allowedScopes: registrableScopes(new ResourceServers(config)),
      defaultScopes: registrableScopes(new ResourceServers(config)),
      // Browser-based public clients (MCP Inspector) register from their own
      // origin; no cookies are involved (bearer tokens only), so any origin.
      corsOrigins: '*',
      registration: await registrationAuth(config),
      softwareStatements: softwareStatements(config),
      storage: storage(config),
      fetch: { allowHosts: config.fetchAllowHosts },
      clientIdMetadataDocuments: { enabled: config.clientIdMetadataDocuments },
    }),
  });
}
