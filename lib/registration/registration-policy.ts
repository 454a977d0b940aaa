/**
 * Limits bound to a caller's credential (an initial access token, the
 * anonymous-registration policy, a custom guard): the validator refuses
 * metadata outside them with invalid_client_metadata, and they stay bound to
 * the client so an RFC 7592 update is held to them too.
 */
export interface RegistrationPolicy {
  /** Grant types the client may register (a subset of the module's grantTypes). */
  grantTypes?: string[];
  /** Scopes the client may register. */
  scopes?: string[];
  /** Token endpoint auth methods the client may register. */
  tokenEndpointAuthMethods?: string[];
}
