/**
 * Client metadata rules as data (after node-oidc-provider's
 * lib/consts/client_attributes.js): the members this module registers, their
 * JSON types and URI kinds, and the constants the validation steps read.
 * A member not in CLIENT_METADATA_RULES is ignored and never stored.
 */

/** The JSON type a member must have. */
export type MemberType = 'string' | 'string[]' | 'object' | 'integer' | 'boolean';

/**
 * What a URI member must look like:
 * - `https`: an absolute https URL without credentials;
 * - `redirect`: a redirection URI, checked against the client's application_type.
 */
export type UriKind = 'https' | 'redirect';

export interface MemberRule {
  readonly type: MemberType;
  /** May also be sent language-tagged (`client_name#ja`), RFC 7591 §2.2. */
  readonly localizable?: boolean;
  /** For `string` / `string[]` members holding URIs. */
  readonly uri?: UriKind;
  /** For `string` members: the only accepted values. */
  readonly oneOf?: readonly string[];
  /** For `integer` members: the smallest accepted value. */
  readonly minimum?: number;
  /** Registered (and echoed) when the member is absent. */
  readonly default?: string | number | boolean | readonly string[];
}

export type MetadataRules = Readonly<Record<string, MemberRule>>;

/**
 * RFC 7591 §2, OIDC DCR §2 and RFC 8705 §2.1.2 members. Credentials and
 * server-issued members (client_id, client_secret, client_id_issued_at,
 * client_secret_expires_at, registration_access_token,
 * registration_client_uri) are deliberately absent: the server issues them.
 * software_statement is absent too: it is registered only when verified.
 */
export const CLIENT_METADATA_RULES: MetadataRules = {
  redirect_uris: { type: 'string[]', uri: 'redirect' },
  // RFC 7591 §2 defaults; response_types' default follows grant_types (see the validator)
  token_endpoint_auth_method: { type: 'string', default: 'client_secret_basic' },
  grant_types: { type: 'string[]', default: ['authorization_code'] },
  response_types: { type: 'string[]' },
  // OIDC DCR §2 default
  application_type: { type: 'string', oneOf: ['web', 'native'], default: 'web' },
  client_name: { type: 'string', localizable: true },
  client_uri: { type: 'string', localizable: true, uri: 'https' },
  logo_uri: { type: 'string', localizable: true, uri: 'https' },
  tos_uri: { type: 'string', localizable: true, uri: 'https' },
  policy_uri: { type: 'string', localizable: true, uri: 'https' },
  scope: { type: 'string' },
  contacts: { type: 'string[]' },
  jwks_uri: { type: 'string', uri: 'https' },
  jwks: { type: 'object' },
  software_id: { type: 'string' },
  software_version: { type: 'string' },
  // OIDC DCR §2
  sector_identifier_uri: { type: 'string', uri: 'https' },
  subject_type: { type: 'string', oneOf: ['public', 'pairwise'] },
  initiate_login_uri: { type: 'string', uri: 'https' },
  default_max_age: { type: 'integer', minimum: 0 },
  require_auth_time: { type: 'boolean' },
  default_acr_values: { type: 'string[]' },
  // OIDC RP-Initiated Logout §3.1
  post_logout_redirect_uris: { type: 'string[]', uri: 'redirect' },
  // RFC 8705 §2.1.2: the certificate subject of a tls_client_auth client
  tls_client_auth_subject_dn: { type: 'string' },
  tls_client_auth_san_dns: { type: 'string' },
  tls_client_auth_san_uri: { type: 'string' },
  tls_client_auth_san_ip: { type: 'string' },
  tls_client_auth_san_email: { type: 'string' },
};

/** Grants that send the user agent back to the client, so need redirect_uris (RFC 7591 §2). */
export const REDIRECT_GRANT_TYPES: ReadonlySet<string> = new Set([
  'authorization_code',
  'implicit',
]);

/** Grants a refresh token may follow (RFC 6749 §1.5, RFC 8628 §3.5). */
export const REFRESHABLE_GRANT_TYPES: ReadonlySet<string> = new Set([
  'authorization_code',
  'urn:ietf:params:oauth:grant-type:device_code',
]);

/** The grant each response type value belongs to (RFC 7591 §2.1, OAuth 2.0 Multiple Response Types). */
export const RESPONSE_TYPE_GRANTS: Readonly<Record<string, string>> = {
  code: 'authorization_code',
  token: 'implicit',
  id_token: 'implicit',
};

/** Auth methods that prove possession of a key the client registers (jwks / jwks_uri). */
export const KEY_AUTH_METHODS: ReadonlySet<string> = new Set([
  'private_key_jwt',
  'self_signed_tls_client_auth',
]);

/** RFC 8705 §2.1.2: exactly one of these names a tls_client_auth client's certificate. */
export const TLS_CLIENT_AUTH_SUBJECT_MEMBERS: readonly string[] = [
  'tls_client_auth_subject_dn',
  'tls_client_auth_san_dns',
  'tls_client_auth_san_uri',
  'tls_client_auth_san_ip',
  'tls_client_auth_san_email',
];

/** JWK members that hold private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4). */
export const PRIVATE_JWK_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Schemes that run script or read local data in a user agent: never a registered URI. */
export const BLOCKED_URI_SCHEMES: ReadonlySet<string> = new Set([
  'javascript:',
  'data:',
  'vbscript:',
  'file:',
  'blob:',
  'about:',
]);

/** Exact loopback hosts (as the WHATWG URL parser writes them); `localhost.evil.test` is not one. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A loose BCP 47 language tag (RFC 5646 §2.1 shape, not the registry): `ja`, `ja-Jpan-JP`, `en-US`. */
export const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * A private-use scheme (RFC 8252 §7.1), as the URL parser writes it. RFC 8252
 * recommends a reverse domain name (`com.example.app`) but does not require
 * one, and deployed apps use plain names (`cursor:`, `vscode:`).
 */
export const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+.-]*:$/;

/** Schemes with a standard meaning in a user agent: never an app's private-use scheme. */
export const NON_PRIVATE_SCHEMES: ReadonlySet<string> = new Set(['ftp:', 'ws:', 'wss:']);
