import { DcrConfigurationError } from './errors/dcr-configuration.error.js';
import type { DcrStoreModuleOptions } from './store/store.options.js';

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
  /** Scopes a client may register; unset: any scope. */
  allowedScopes?: string[];
  /** Scopes registered when a client asks for none. Default: none. */
  defaultScopes?: string[];
  /** Lifetime of issued client secrets in seconds; 0 (default) = never expires. */
  clientSecretLifetimeSeconds?: number;
  /** Largest accepted request body in bytes. Default 65536 (64 KiB). */
  maxBodyBytes?: number;
}

/** Options after defaults and checks: what the module's services read. */
export interface ResolvedDcrOptions {
  publicBaseUrl?: URL;
  grantTypes: readonly string[];
  tokenEndpointAuthMethods: readonly string[];
  allowedScopes?: ReadonlySet<string>;
  defaultScopes: readonly string[];
  clientSecretLifetimeSeconds: number;
  maxBodyBytes: number;
}

export const DEFAULT_GRANT_TYPES = ['authorization_code', 'client_credentials', 'refresh_token'];
export const DEFAULT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
];
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token

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
  const allowedScopes =
    input.allowedScopes === undefined
      ? undefined
      : new Set(stringList('allowedScopes', input.allowedScopes, { nonEmpty: false }));
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
  return {
    publicBaseUrl: input.publicBaseUrl === undefined ? undefined : baseUrl(input.publicBaseUrl),
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
  };
}
