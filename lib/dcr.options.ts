import type { RegistrationAuthOptions } from './auth/registration-auth.options.js';
import {
  resolveClientIdMetadataDocumentOptions,
  type ClientIdMetadataDocumentOptions,
  type ResolvedClientIdMetadataDocumentOptions,
} from './client-id-metadata/client-id-metadata.options.js';
import { DcrConfigurationError } from './errors/dcr-configuration.error.js';
import {
  resolveOutboundFetchOptions,
  type OutboundFetchOptions,
  type ResolvedOutboundFetchOptions,
} from './fetch/outbound-fetch.options.js';
import {
  resolveSoftwareStatementOptions,
  type ResolvedSoftwareStatementOptions,
  type SoftwareStatementOptions,
} from './software-statement/software-statement.options.js';
import type { DcrStoreModuleOptions } from './store/store.options.js';
import type { MetadataLimits } from './metadata/member-limits.rules.js';
import { resolveMetadataLimits } from './metadata/metadata-limits.options.js';

/** Token endpoint auth methods this module knows (RFC 7591 §2, OIDC Core §9, RFC 8705). */
export const KNOWN_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
  'none',
] as const;

/**
 * The module's data options: what forRoot takes, or forRootAsync's factory
 * returns. What shapes the module (route, guards, classes) is given at the top
 * level instead (see DcrModuleExtras).
 */
export interface DcrModuleOptions extends DcrStoreModuleOptions {
  /**
   * Public base URL of the host (scheme, host, optional path), used to build
   * absolute URIs in responses such as registration_client_uri.
   */
  publicBaseUrl?: string;
  /** Grant types clients may register. Default: authorization_code, client_credentials, refresh_token. */
  grantTypes?: string[];
  /** Token endpoint auth methods clients may register. Default: client_secret_basic, client_secret_post, private_key_jwt, none. */
  tokenEndpointAuthMethods?: string[];
  /** Scopes a client may register. Default: none; `'*'`: any scope (the old default). */
  allowedScopes?: string[] | '*';
  /** Scopes registered when a client asks for none. Default: none. */
  defaultScopes?: string[];
  /** Lifetime of issued client secrets in seconds; 0 (default) = never expires. */
  clientSecretLifetimeSeconds?: number;
  /** Largest accepted request body in bytes. Default 65536 (64 KiB). */
  maxBodyBytes?: number;
  /**
   * RFC 7592 client management (read, update, delete with a registration
   * access token). Default: on when publicBaseUrl is set, since
   * registration_client_uri must be absolute; `true` without publicBaseUrl fails start-up.
   */
  management?: boolean;
  /** Issue a new registration access token on every update (the old one stops working). Default true. */
  rotateRegistrationAccessToken?: boolean;
  /**
   * CORS for the registration and management endpoints (browser-based and MCP
   * clients register themselves): the origins allowed, or `'*'`. Default: off.
   */
  corsOrigins?: string[] | '*';
  /** Trusted software statement issuers; unset (default): statements are ignored. */
  softwareStatements?: SoftwareStatementOptions;
  /** Who may register: bearer JWT, initial access token, either, or open (see RegistrationAuthOptions). */
  registration?: RegistrationAuthOptions;
  /** Caps on string lengths and array sizes in client metadata. Default: see DEFAULT_METADATA_LIMITS. */
  metadataLimits?: Partial<MetadataLimits>;
  /** Let an RFC 7592 update move a client to token_endpoint_auth_method none. Default false. */
  allowAuthMethodNoneOnUpdate?: boolean;
  /** Limits for every URL fetched on a client's behalf (see OutboundFetchOptions). */
  fetch?: OutboundFetchOptions;
  /** URL client_ids (Client ID Metadata Documents): limits, cache bounds, trusted hosts. */
  clientIdMetadataDocuments?: ClientIdMetadataDocumentOptions;
}

/** Every data option's name: anything else is a typo and fails start-up. */
const DCR_OPTION_NAMES = [
  'publicBaseUrl',
  'grantTypes',
  'tokenEndpointAuthMethods',
  'allowedScopes',
  'defaultScopes',
  'clientSecretLifetimeSeconds',
  'maxBodyBytes',
  'management',
  'rotateRegistrationAccessToken',
  'corsOrigins',
  'softwareStatements',
  'registration',
  'storage',
  'clientMaxIdleSeconds',
  'metadataLimits',
  'allowAuthMethodNoneOnUpdate',
  'fetch',
  'clientIdMetadataDocuments',
] as const satisfies readonly (keyof DcrModuleOptions)[];

/** Options after defaults and checks: what the module's services read. */
export interface ResolvedDcrOptions {
  publicBaseUrl?: URL;
  grantTypes: readonly string[];
  tokenEndpointAuthMethods: readonly string[];
  allowedScopes?: ReadonlySet<string>;
  defaultScopes: readonly string[];
  clientSecretLifetimeSeconds: number;
  maxBodyBytes: number;
  management: boolean;
  rotateRegistrationAccessToken: boolean;
  /** Undefined: CORS off. */
  corsOrigins?: ReadonlySet<string> | '*';
  softwareStatements?: ResolvedSoftwareStatementOptions;
  metadataLimits: Readonly<MetadataLimits>;
  allowAuthMethodNoneOnUpdate: boolean;
  fetch: ResolvedOutboundFetchOptions;
  clientIdMetadataDocuments: ResolvedClientIdMetadataDocumentOptions;
}

export const DEFAULT_GRANT_TYPES = ['authorization_code', 'client_credentials', 'refresh_token'];
export const DEFAULT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
];
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token

function stringList(option: string, value: unknown, { nonEmpty }: { nonEmpty: boolean }): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
    throw new DcrConfigurationError(option, 'must be an array of non-empty strings');
  }
  if (nonEmpty && value.length === 0) throw new DcrConfigurationError(option, 'must not be empty');
  return [...new Set(value as string[])];
}

function nonNegativeInteger(option: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new DcrConfigurationError(option, 'must be a non-negative integer');
  }
  return value as number;
}

function flag(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new DcrConfigurationError(option, 'must be true or false');
  return value;
}

/** Origins as browsers send them: scheme://host[:port], nothing else. */
function corsOrigins(value: unknown): ReadonlySet<string> | '*' | undefined {
  if (value === undefined || value === '*') return value;
  const origins = stringList('corsOrigins', value, { nonEmpty: true });
  const bad = origins.find((origin) => !URL.canParse(origin) || new URL(origin).origin !== origin);
  if (bad !== undefined) {
    throw new DcrConfigurationError(
      'corsOrigins',
      `holds "${bad}", which is not an origin (scheme://host[:port])`,
    );
  }
  return new Set(origins);
}

function baseUrl(value: unknown): URL {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw new DcrConfigurationError(
      'publicBaseUrl',
      'must be an absolute http(s) URL without query or fragment',
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Applies defaults and checks every option; throws DcrConfigurationError naming the first bad one. */
export function resolveDcrOptions(options: DcrModuleOptions | undefined): ResolvedDcrOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new DcrConfigurationError('options', 'must be an object');
  }
  const input = options ?? {};
  const unknown = Object.keys(input).find(
    (key) => !(DCR_OPTION_NAMES as readonly string[]).includes(key),
  );
  if (unknown !== undefined) throw new DcrConfigurationError(unknown, 'is not a DcrModule option');
  const tokenEndpointAuthMethods = stringList(
    'tokenEndpointAuthMethods',
    input.tokenEndpointAuthMethods ?? DEFAULT_AUTH_METHODS,
    { nonEmpty: true },
  );
  const unknownMethod = tokenEndpointAuthMethods.find(
    (method) => !(KNOWN_AUTH_METHODS as readonly string[]).includes(method),
  );
  if (unknownMethod) {
    throw new DcrConfigurationError(
      'tokenEndpointAuthMethods',
      `holds unknown method "${unknownMethod}"`,
    );
  }
  // Secure default (issue 15): no scope unless listed; '*' opts back into any scope.
  const allowedScopes =
    input.allowedScopes === '*'
      ? undefined
      : new Set(stringList('allowedScopes', input.allowedScopes ?? [], { nonEmpty: false }));
  const defaultScopes = stringList('defaultScopes', input.defaultScopes ?? [], { nonEmpty: false });
  for (const [option, scopes] of [
    ['allowedScopes', allowedScopes ?? []],
    ['defaultScopes', defaultScopes],
  ] as const) {
    const bad = [...scopes].find((scope) => !SCOPE_TOKEN.test(scope));
    if (bad !== undefined) throw new DcrConfigurationError(option, `holds invalid scope "${bad}"`);
  }
  const outside = defaultScopes.find((scope) => allowedScopes && !allowedScopes.has(scope));
  if (outside !== undefined) {
    throw new DcrConfigurationError(
      'defaultScopes',
      `holds "${outside}", which allowedScopes does not allow`,
    );
  }
  const maxBodyBytes = nonNegativeInteger(
    'maxBodyBytes',
    input.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  );
  if (maxBodyBytes === 0) throw new DcrConfigurationError('maxBodyBytes', 'must be positive');
  const publicBaseUrl =
    input.publicBaseUrl === undefined ? undefined : baseUrl(input.publicBaseUrl);
  const management = flag('management', input.management, publicBaseUrl !== undefined);
  if (management && !publicBaseUrl) {
    throw new DcrConfigurationError(
      'management',
      'needs publicBaseUrl (registration_client_uri must be an absolute URI)',
    );
  }
  const fetch = resolveOutboundFetchOptions(input.fetch);
  return {
    publicBaseUrl,
    grantTypes: stringList('grantTypes', input.grantTypes ?? DEFAULT_GRANT_TYPES, {
      nonEmpty: true,
    }),
    tokenEndpointAuthMethods,
    allowedScopes,
    defaultScopes,
    clientSecretLifetimeSeconds: nonNegativeInteger(
      'clientSecretLifetimeSeconds',
      input.clientSecretLifetimeSeconds ?? 0,
    ),
    maxBodyBytes,
    management,
    rotateRegistrationAccessToken: flag(
      'rotateRegistrationAccessToken',
      input.rotateRegistrationAccessToken,
      true,
    ),
    corsOrigins: corsOrigins(input.corsOrigins),
    softwareStatements: resolveSoftwareStatementOptions(input.softwareStatements),
    metadataLimits: resolveMetadataLimits(input.metadataLimits),
    allowAuthMethodNoneOnUpdate: flag(
      'allowAuthMethodNoneOnUpdate',
      input.allowAuthMethodNoneOnUpdate,
      false,
    ),
    fetch,
    clientIdMetadataDocuments: resolveClientIdMetadataDocumentOptions(
      input.clientIdMetadataDocuments,
      fetch.maxBodyBytes,
    ),
  };
}
