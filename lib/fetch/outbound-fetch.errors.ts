/** Why an outbound fetch failed; stable strings a caller may switch on. */
export type OutboundFetchErrorCode =
  | 'invalid_url'
  | 'blocked_address'
  | 'unresolved'
  | 'connect_failed'
  | 'timeout'
  | 'redirect'
  | 'status'
  | 'content_type'
  | 'too_large'
  | 'invalid_json';

/**
 * A refused or failed outbound fetch. The message is safe to show to the
 * client that named the URL (it never carries the resolved address or a
 * stack); callers put it in their RFC error description.
 */
export class OutboundFetchError extends Error {
  constructor(
    readonly code: OutboundFetchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundFetchError';
  }
}
