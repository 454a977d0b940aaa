import { resolve } from 'node:path';
import { DcrConfigurationError, resolveOutboundFetchOptions } from '../lib/index.js';
import { loadAdminConfig, type AdminConfig } from './accounts/admin-config.js';

/** Injection token of the SampleConfig (global, from OidcProviderModule). */
export const SAMPLE_CONFIG = Symbol.for('sample-app.config');

/** The host's configuration, read once from the environment and checked at start-up. */
export interface SampleConfig {
  port: number;
  host: string;
  /** Public base URL, without a trailing slash (e.g. `https://id.example.com`). */
  publicUrl: string;
  /** `protected`: registering needs a bearer token with `requiredScope`; `open`: anyone may register. */
  registration: 'protected' | 'open';
  /** Issuer of the bearer tokens the registration endpoint accepts. */
  token: {
    /** True when the tokens come from the provider mounted at `/oidc` (DCR_TOKEN_ISSUER unset). */
    embedded: boolean;
    issuer: string;
    /** Unset: from the issuer's discovery document. */
    jwksUri?: string;
    audience: string;
    requiredScope: string;
  };
  /** Trusted software statement issuer; unset: statements are ignored. */
  softwareStatement?: { issuer: string; jwksUri: string };
  softwareStatementRequired: boolean;
  /** PostgreSQL connection string; unset: embedded PGlite in `dataDir`. Never logged. */
  databaseUrl?: string;
  /** Absolute path of the data directory (PGlite files, the provider's keys). */
  dataDir: string;
  /** Both or neither; unset: the host issues the bootstrap client a fresh secret at start-up. */
  bootstrapClient?: { id: string; secret: string };
  /** Set: the bootstrap client also signs users in (authorization_code + refresh_token) with these. */
  bootstrapRedirectUris: string[];
  /** Resource servers (RFC 8707) the provider issues JWT access tokens for, besides the registration endpoint. */
  resources: ResourceServerConfig[];
  /** Embedded provider issuer: `${publicUrl}/oidc`. */
  oidcIssuer: string;
  /** URL client_ids (Client ID Metadata Documents) at the provider. */
  clientIdMetadataDocuments: boolean;
  /** Hosts (host or host:port) exempt from the fetcher's address rule: development and tests only. */
  fetchAllowHosts: string[];
  /** DCR_ADMIN_USERNAME / DCR_ADMIN_PASSWORD (accounts/admin-config.ts). */
  admin: AdminConfig;
  /** Clients' last use is written at most once per this many seconds (ClientUseRecorder). */
  lastUseWriteSeconds: number;
}

/** One DCR_RESOURCES entry: the resource indicator, exactly as clients send it, and its scopes. */
export interface ResourceServerConfig {
  url: string;
  scopes: string[];
}

/** A bad environment variable: the host prints the message and exits. Never carries a secret value. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3
const CLIENT_ID = /^[\x21-\x7E]+$/; // visible ASCII, as RFC 6749 §A.1 allows
/** Hosts a browser reaches on the user's own machine (RFC 8252 §7.3). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Listening on every interface says nothing about the address clients use. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);
/** A secret set by hand must at least be long enough to carry 128 bits of randomness. */
const MIN_SECRET_LENGTH = 32;

/** An empty variable counts as unset, as shells and compose files often produce them. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function port(env: Env): number {
  const value = read(env, 'PORT') ?? '3000';
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(parsed >= 1 && parsed <= 65535)) {
    throw new ConfigError('PORT', 'must be an integer from 1 to 65535');
  }
  return parsed;
}

function host(env: Env): string {
  const value = read(env, 'HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(value)) {
    throw new ConfigError('HOST', 'must be a host name or an IP address');
  }
  return value;
}

function httpUrl(
  name: string,
  value: string,
  { allowPath, allowQuery }: { allowPath: boolean; allowQuery: boolean },
): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigError(name, 'must be an absolute http(s) URL');
  }
  if (url.username || url.password || url.hash || (!allowQuery && url.search)) {
    throw new ConfigError(
      name,
      `must not carry credentials, a fragment${allowQuery ? '' : ' or a query'}`,
    );
  }
  if (!allowPath && url.pathname !== '/') throw new ConfigError(name, 'must not have a path');
  return url.href.replace(/\/$/, '');
}

function publicUrl(env: Env, listenHost: string, listenPort: number): string {
  const value = read(env, 'DCR_PUBLIC_URL');
  if (value !== undefined) {
    return httpUrl('DCR_PUBLIC_URL', value, { allowPath: true, allowQuery: false });
  }
  if (WILDCARD_HOSTS.has(listenHost)) {
    throw new ConfigError(
      'DCR_PUBLIC_URL',
      `is required when HOST is ${listenHost} (clients can't reach it)`,
    );
  }
  const hostPart =
    listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost;
  return `http://${hostPart}:${listenPort}`;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const value = read(env, name) ?? fallback;
  if (!(values as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of: ${values.join(', ')}`);
  }
  return value as T;
}

function bool(env: Env, name: string): boolean {
  return oneOf(env, name, ['true', 'false'], 'false') === 'true';
}

function token(env: Env, base: string, oidcIssuer: string): SampleConfig['token'] {
  const issuer = read(env, 'DCR_TOKEN_ISSUER');
  const jwksUri = read(env, 'DCR_TOKEN_JWKS_URI');
  const audience = read(env, 'DCR_TOKEN_AUDIENCE');
  const requiredScope = read(env, 'DCR_REQUIRED_SCOPE') ?? 'dcr.register';
  if (!SCOPE_TOKEN.test(requiredScope)) {
    throw new ConfigError(
      'DCR_REQUIRED_SCOPE',
      'must be a single OAuth scope (no spaces or quotes)',
    );
  }
  if (issuer === undefined && jwksUri !== undefined) {
    throw new ConfigError(
      'DCR_TOKEN_JWKS_URI',
      'needs DCR_TOKEN_ISSUER (the embedded provider publishes its own keys)',
    );
  }
  // Checked, but kept exactly as given: an issuer identifier is compared as a string.
  if (issuer !== undefined) {
    httpUrl('DCR_TOKEN_ISSUER', issuer, { allowPath: true, allowQuery: false });
  }
  return {
    embedded: issuer === undefined,
    issuer: issuer ?? oidcIssuer,
    // Unset for another issuer: found through its discovery document.
    jwksUri:
      jwksUri === undefined
        ? issuer === undefined
          ? `${oidcIssuer}/jwks`
          : undefined
        : httpUrl('DCR_TOKEN_JWKS_URI', jwksUri, { allowPath: true, allowQuery: true }),
    audience: audience ?? `${base}/connect/dcr`,
    requiredScope,
  };
}

function softwareStatement(env: Env): SampleConfig['softwareStatement'] {
  const issuer = read(env, 'DCR_SOFTWARE_STATEMENT_ISSUER');
  const jwksUri = read(env, 'DCR_SOFTWARE_STATEMENT_JWKS_URI');
  if (issuer === undefined && jwksUri === undefined) return undefined;
  if (issuer === undefined) {
    throw new ConfigError(
      'DCR_SOFTWARE_STATEMENT_ISSUER',
      'is required when DCR_SOFTWARE_STATEMENT_JWKS_URI is set',
    );
  }
  if (jwksUri === undefined) {
    throw new ConfigError(
      'DCR_SOFTWARE_STATEMENT_JWKS_URI',
      'is required when DCR_SOFTWARE_STATEMENT_ISSUER is set',
    );
  }
  return {
    issuer,
    jwksUri: httpUrl('DCR_SOFTWARE_STATEMENT_JWKS_URI', jwksUri, {
      allowPath: true,
      allowQuery: true,
    }),
  };
}

/** DCR_FETCH_ALLOW_HOSTS: comma-separated host or host:port, checked as the module checks them. */
function fetchAllowHosts(env: Env): string[] {
  const hosts = (read(env, 'DCR_FETCH_ALLOW_HOSTS') ?? '')
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '');
  try {
    resolveOutboundFetchOptions({ allowHosts: hosts });
  } catch (error) {
    if (!(error instanceof DcrConfigurationError)) throw error;
    throw new ConfigError('DCR_FETCH_ALLOW_HOSTS', error.message.replace(/^.*?" /, ''));
  }
  return hosts;
}

function databaseUrl(env: Env): string | undefined {
  const value = read(env, 'DATABASE_URL');
  if (value === undefined) return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    // The value is not echoed: it usually holds a password.
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  return value;
}

function bootstrapClient(env: Env): SampleConfig['bootstrapClient'] {
  const id = read(env, 'DCR_BOOTSTRAP_CLIENT_ID');
  const secret = read(env, 'DCR_BOOTSTRAP_CLIENT_SECRET');
  if (id === undefined && secret === undefined) return undefined;
  if (id === undefined) {
    throw new ConfigError(
      'DCR_BOOTSTRAP_CLIENT_ID',
      'is required when DCR_BOOTSTRAP_CLIENT_SECRET is set',
    );
  }
  if (secret === undefined) {
    throw new ConfigError(
      'DCR_BOOTSTRAP_CLIENT_SECRET',
      'is required when DCR_BOOTSTRAP_CLIENT_ID is set',
    );
  }
  if (!CLIENT_ID.test(id)) {
    throw new ConfigError('DCR_BOOTSTRAP_CLIENT_ID', 'must be visible ASCII characters only');
  }
  if (secret.length < MIN_SECRET_LENGTH || !CLIENT_ID.test(secret)) {
    throw new ConfigError(
      'DCR_BOOTSTRAP_CLIENT_SECRET',
      `must be at least ${MIN_SECRET_LENGTH} visible ASCII characters (e.g. openssl rand -base64 32)`,
    );
  }
  return { id, secret };
}

/** An http(s) redirect URI a browser can be sent to: https, or http on a loopback host; no fragment. */
function bootstrapRedirectUris(env: Env): string[] {
  const value = read(env, 'DCR_BOOTSTRAP_REDIRECT_URIS');
  if (value === undefined) return [];
  const uris = value.split(/\s+/);
  for (const uri of uris) {
    const url = URL.canParse(uri) ? new URL(uri) : undefined;
    const secure =
      url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    if (!url || !secure || uri.includes('#') || url.username || url.password) {
      throw new ConfigError(
        'DCR_BOOTSTRAP_REDIRECT_URIS',
        `holds "${uri}": each must be an https URL (or http on localhost, 127.0.0.1 or [::1]) without a fragment or credentials`,
      );
    }
  }
  return [...new Set(uris)];
}

/**
 * DCR_RESOURCES: comma-separated entries, each an absolute URL followed by the
 * scopes it accepts. The URL is kept as written: resource indicators compare
 * as strings, so it must be what the resource server publishes (RFC 9728).
 */
function resources(
  env: Env,
  registrationResource: string,
  reserved: string,
): ResourceServerConfig[] {
  const value = read(env, 'DCR_RESOURCES');
  if (value === undefined) return [];
  const seen = new Set<string>([registrationResource]);
  return value.split(',').map((entry) => {
    const [url = '', ...scopes] = entry.trim().split(/\s+/);
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      throw new ConfigError('DCR_RESOURCES', `holds "${url}": not an absolute http(s) URL`);
    }
    if (url.includes('#') || parsed.username || parsed.password) {
      throw new ConfigError('DCR_RESOURCES', `holds "${url}": no fragment or credentials allowed`);
    }
    if (seen.has(url)) {
      throw new ConfigError('DCR_RESOURCES', `names "${url}" twice (or the registration endpoint)`);
    }
    seen.add(url);
    for (const scope of scopes) {
      if (!SCOPE_TOKEN.test(scope)) {
        throw new ConfigError('DCR_RESOURCES', `holds "${scope}": not an OAuth scope`);
      }
      if (scope === reserved) {
        throw new ConfigError('DCR_RESOURCES', `must not give the registration scope ${reserved}`);
      }
    }
    return { url, scopes: [...new Set(scopes)] };
  });
}

function lastUseWriteSeconds(env: Env): number {
  const value = read(env, 'DCR_LAST_USE_WRITE_SECONDS') ?? '300';
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(parsed >= 1 && parsed <= 86_400)) {
    throw new ConfigError('DCR_LAST_USE_WRITE_SECONDS', 'must be an integer from 1 to 86400');
  }
  return parsed;
}

/** Reads and checks every variable; throws a ConfigError naming the first bad one. */
export function loadConfig(env: Env): SampleConfig {
  const listenPort = port(env);
  const listenHost = host(env);
  const base = publicUrl(env, listenHost, listenPort);
  const oidcIssuer = `${base}/oidc`;
  const statement = softwareStatement(env);
  const softwareStatementRequired = bool(env, 'DCR_SOFTWARE_STATEMENT_REQUIRED');
  if (softwareStatementRequired && !statement) {
    throw new ConfigError(
      'DCR_SOFTWARE_STATEMENT_REQUIRED',
      'needs DCR_SOFTWARE_STATEMENT_ISSUER and DCR_SOFTWARE_STATEMENT_JWKS_URI',
    );
  }
  const tokenConfig = token(env, base, oidcIssuer);
  return {
    port: listenPort,
    host: listenHost,
    publicUrl: base,
    registration: oneOf(env, 'DCR_REGISTRATION', ['protected', 'open'], 'protected'),
    token: tokenConfig,
    softwareStatement: statement,
    softwareStatementRequired,
    databaseUrl: databaseUrl(env),
    dataDir: resolve(read(env, 'DCR_DATA_DIR') ?? '.data'),
    bootstrapClient: bootstrapClient(env),
    bootstrapRedirectUris: bootstrapRedirectUris(env),
    resources: resources(env, `${base}/connect/dcr`, tokenConfig.requiredScope),
    oidcIssuer,
    clientIdMetadataDocuments:
      oneOf(env, 'DCR_CLIENT_ID_METADATA_DOCUMENTS', ['true', 'false'], 'true') === 'true',
    fetchAllowHosts: fetchAllowHosts(env),
    admin: loadAdminConfig(env),
    lastUseWriteSeconds: lastUseWriteSeconds(env),
  };
}
