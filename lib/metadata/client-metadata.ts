/**
 * Registered client metadata (RFC 7591 §2, OIDC DCR §2) as stored and echoed.
 * Known members are typed; other registered members (language-tagged ones such
 * as `client_name#ja`, extensions the rule table knows) sit beside them.
 */
export interface ClientMetadata {
  redirect_uris?: string[];
  token_endpoint_auth_method: string;
  grant_types: string[];
  response_types: string[];
  application_type: 'web' | 'native';
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  scope?: string;
  contacts?: string[];
  tos_uri?: string;
  policy_uri?: string;
  jwks_uri?: string;
  jwks?: { keys: Record<string, unknown>[] };
  software_id?: string;
  software_version?: string;
  software_statement?: string;
  sector_identifier_uri?: string;
  subject_type?: 'public' | 'pairwise';
  initiate_login_uri?: string;
  default_max_age?: number;
  require_auth_time?: boolean;
  default_acr_values?: string[];
  post_logout_redirect_uris?: string[];
  [member: string]: unknown;
}
