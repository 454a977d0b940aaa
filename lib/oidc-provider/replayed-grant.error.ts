/** The OAuth error a lost race to consume a record answers, by model. */
const REPLAY_ERRORS: Readonly<Record<string, { error: string; description: string }>> = {
  PushedAuthorizationRequest: {
    error: 'invalid_request_uri',
    description: 'request_uri is invalid, expired, or was already used',
  },
};

const DEFAULT_REPLAY_ERROR = { error: 'invalid_grant', description: 'grant already used' };

/**
 * Thrown by `consume` when another request consumed the record first (or it
 * was revoked meanwhile). Shaped like oidc-provider's own errors, which its
 * error handler recognises by `expose`, `statusCode` and a `message` that is
 * the OAuth error code, so the client gets a 400 with the RFC body, not a 500.
 */
export class ReplayedGrantError extends Error {
  readonly error: string;
  readonly error_description: string;
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;

  constructor(model: string) {
    const { error, description } = REPLAY_ERRORS[model] ?? DEFAULT_REPLAY_ERROR;
    super(error);
    this.name = 'ReplayedGrantError';
    this.error = error;
    this.error_description = description;
  }
}
