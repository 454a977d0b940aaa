/** Error codes written in `{"error": ...}` bodies (RFC 7591 §3.2.2, RFC 6750 §3.1, RFC 6749 §5.2). */
export const DcrErrorCode = {
  InvalidRequest: 'invalid_request',
  InvalidRedirectUri: 'invalid_redirect_uri',
  InvalidClientMetadata: 'invalid_client_metadata',
  InvalidSoftwareStatement: 'invalid_software_statement',
  UnapprovedSoftwareStatement: 'unapproved_software_statement',
  InvalidToken: 'invalid_token',
  InsufficientScope: 'insufficient_scope',
  AccessDenied: 'access_denied',
  TooManyRequests: 'too_many_requests',
  TemporarilyUnavailable: 'temporarily_unavailable',
  ServerError: 'server_error',
} as const;

export type DcrErrorCode = (typeof DcrErrorCode)[keyof typeof DcrErrorCode];
