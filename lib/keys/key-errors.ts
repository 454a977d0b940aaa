/** The issuer's metadata or JWKS can't be fetched or used: answered 503, not blamed on the caller. */
export class IssuerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IssuerUnavailableError';
  }
}

/** No key of the issuer matches the token's `kid` and `alg`. */
export class UnknownSigningKeyError extends Error {
  constructor() {
    super('no key of the issuer matches the token');
    this.name = 'UnknownSigningKeyError';
  }
}
