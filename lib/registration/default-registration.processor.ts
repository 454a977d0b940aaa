import { Inject, Injectable } from '@nestjs/common';
import { generateToken, hashSecret } from '../crypto/secrets.js';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import type { ClientMetadata } from '../metadata/client-metadata.js';
import { ClientStore } from '../store/client-store.js';
import type { StoredClient } from '../store/stored-client.js';
import { RegistrationProcessor } from './registration.processor.js';
import type { RegistrationContext, RegistrationResult } from './registration-context.js';

/** Auth methods that authenticate with the client secret (RFC 7591 §2, OIDC Core §9). */
const SECRET_AUTH_METHODS = new Set([
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
]);

/**
 * Issues a fresh client_id and, for secret-based auth methods, a client
 * secret; stores the client with the secret hashed. Caller-supplied
 * client_id / client_secret never get here: the validator drops them.
 */
@Injectable()
export class DefaultRegistrationProcessor extends RegistrationProcessor {
  constructor(
    protected readonly store: ClientStore,
    @Inject(DCR_OPTIONS) protected readonly options: ResolvedDcrOptions,
  ) {
    super();
  }

  async process(context: RegistrationContext): Promise<RegistrationResult> {
    const metadata = context.metadata;
    if (!metadata)
      throw new Error('RegistrationProcessor ran before the validator set the metadata');
    const now = this.now();
    const clientSecret = this.usesSecret(metadata) ? this.generateClientSecret() : undefined;
    const client: StoredClient = {
      clientId: this.generateClientId(),
      metadata,
      clientIdIssuedAt: now,
      clientSecretExpiresAt: clientSecret ? this.secretExpiry(now) : 0,
      updatedAt: now,
    };
    if (clientSecret) client.clientSecretHash = hashSecret(clientSecret);
    if (context.caller?.policy) client.policy = { ...context.caller.policy };
    await this.store.create(client);
    return { client, clientSecret };
  }

  /** 128 bits from the CSPRNG (RFC 7591 §3.2.1: unique, not guessable). */
  protected generateClientId(): string {
    return generateToken(16);
  }

  /** 256 bits from the CSPRNG. */
  protected generateClientSecret(): string {
    return generateToken(32);
  }

  protected usesSecret(metadata: ClientMetadata): boolean {
    return SECRET_AUTH_METHODS.has(metadata.token_endpoint_auth_method);
  }

  protected secretExpiry(now: number): number {
    const lifetime = this.options.clientSecretLifetimeSeconds;
    return lifetime === 0 ? 0 : now + lifetime;
  }

  protected now(): number {
    return Math.floor(Date.now() / 1000);
  }
}
