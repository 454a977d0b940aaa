/** A verified token that still isn't an acceptable access token; the message is safe to show. */
export class InvalidAccessTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAccessTokenError';
  }
}
