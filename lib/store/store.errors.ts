/** A client with this id already exists (ids are random, so this means a caller bug or a collision). */
export class ClientAlreadyExistsError extends Error {
  constructor(readonly clientId: string) {
    super(`client ${clientId} already exists`);
    this.name = 'ClientAlreadyExistsError';
  }
}

/** The backend can't be reached; the registration endpoint answers 503 temporarily_unavailable. */
export class StoreUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('client store unavailable', options);
    this.name = 'StoreUnavailableError';
  }
}
