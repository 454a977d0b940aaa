/** Why a URL client_id was not resolved; stable strings a caller may switch on. */
export type ClientIdMetadataErrorCode =
  /** The client_id is not a valid Client ID Metadata Document URL. */
  | 'invalid_client_id'
  /** The policy does not trust the document's host. */
  | 'untrusted_host'
  /** The document could not be fetched (address rule, status, size, time, type, JSON). */
  | 'fetch_failed'
  /** The document was fetched but breaks a metadata or CIMD rule. */
  | 'invalid_document';

/**
 * A URL client_id that cannot be used. The message is safe to show to the
 * client (an authorization server answers `invalid_client`, or
 * `invalid_client_metadata` for an invalid document).
 */
export class ClientIdMetadataError extends Error {
  constructor(
    readonly code: ClientIdMetadataErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClientIdMetadataError';
  }
}
