import type { ClientMetadata } from '../metadata/client-metadata.js';
import type { StoredClient } from '../store/stored-client.js';
import type { VerifiedSoftwareStatement } from '../software-statement/software-statement.validator.js';
import type { DcrCaller } from './dcr-caller.js';

/** A registered client with the credentials issued in this request (plaintext, for the response only). */
export interface RegistrationResult {
  client: StoredClient;
  clientSecret?: string;
  registrationAccessToken?: string;
}

/**
 * What the pipeline's steps share for one request (Duende's
 * DynamicClientRegistrationContext): the request, the caller the guard set,
 * the body, and what each step adds. `items` is for user steps to pass data along.
 */
export class RegistrationContext {
  /** Set before the validator runs when a software statement was accepted. */
  softwareStatement?: VerifiedSoftwareStatement;
  /** Set by the validator: the metadata that will be registered. */
  metadata?: ClientMetadata;
  /** Set by the processor. */
  result?: RegistrationResult;
  private itemMap?: Map<string | symbol, unknown>;

  /** Made on first use: most registrations never need one. */
  get items(): Map<string | symbol, unknown> {
    return (this.itemMap ??= new Map());
  }

  constructor(
    /** The adapter's request object (Express or Fastify). */
    readonly request: object,
    readonly caller: DcrCaller | undefined,
    /** The JSON object sent by the client, untouched. */
    readonly body: Readonly<Record<string, unknown>>,
    /** The client being updated (RFC 7592 PUT); undefined for a registration. */
    readonly existingClient?: StoredClient,
  ) {}
}
