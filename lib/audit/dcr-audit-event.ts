/** What happened; one event per answered request on the module's routes (reads are not recorded). */
export type DcrAuditEventType =
  | 'client.registered'
  | 'client.updated'
  | 'client.deleted'
  | 'registration.rejected'
  | 'caller.refused';

/** Who made the request, without any credential: names and ids only. */
export interface DcrAuditCaller {
  kind: 'bearer' | 'initial_access_token' | 'anonymous' | 'registration_access_token';
  /** A bearer token's `iss`. */
  issuer?: string;
  /** A bearer token's `sub`. */
  subject?: string;
  /** A bearer token's `client_id` / `azp`; for a registration access token, the client it manages. */
  clientId?: string;
  /** An initial access token's id (a prefix of its stored hash, as `mint` returned it). */
  initialAccessTokenId?: string;
}

/**
 * One audit record. Never a secret, a token or the metadata itself: the
 * client's id, who asked, from where, when, and for refusals the RFC error code
 * and the member it names.
 */
export interface DcrAuditEvent {
  type: DcrAuditEventType;
  /** ISO 8601, UTC. */
  time: string;
  /** The client registered, changed or deleted; for a refused management call, the id in its path. */
  clientId?: string;
  /** Undefined when the caller was refused before it was known. */
  caller?: DcrAuditCaller;
  /** The adapter's `request.ip` (it honours the host's trust-proxy setting). */
  sourceAddress?: string;
  method: string;
  /** Refusals: the HTTP status and RFC error code. */
  status?: number;
  error?: string;
  /** Metadata refusals: the member the error names (`client_name#ja`, `redirect_uris`, ...). */
  member?: string;
}
