import { Inject, Injectable } from '@nestjs/common';
import { generateToken, hashSecret } from '../crypto/secrets.js';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import { DcrException } from '../errors/dcr.exception.js';
import { MANAGEMENT_REALM } from '../management/registration-access-token.guard.js';
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
 * Issues a fresh client_id, a client secret for secret-based auth methods and
 * (with management on) a registration access token; stores the client with
 * every credential hashed, in one write. Caller-supplied client_id /
 * client_secret never get here: the validator drops them.
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
    return context.existingClient
      ? this.update(context.existingClient, metadata)
      : this.register(context, metadata);
  }

  protected async register(
    context: RegistrationContext,
    metadata: ClientMetadata,
  ): Promise<RegistrationResult> {
    const now = this.now();
    const result: RegistrationResult = {
      client: {
        clientId: this.generateClientId(),
        metadata,
        clientIdIssuedAt: now,
        clientSecretExpiresAt: 0,
        updatedAt: now,
      },
    };
    if (this.usesSecret(metadata)) this.issueSecret(result, now);
    if (this.options.management) this.issueRegistrationAccessToken(result);
    if (context.caller?.policy) result.client.policy = structuredClone(context.caller.policy);
    await this.store.create(result.client);
    return result;
  }

  /**
   * RFC 7592 §2.2: the metadata is replaced; the id, issue time and bound
   * policy stay; a secret is kept while the auth method still uses one.
   */
  protected async update(
    existing: StoredClient,
    metadata: ClientMetadata,
  ): Promise<RegistrationResult> {
    const now = this.now();
    const client: StoredClient = {
      clientId: existing.clientId,
      metadata,
      clientIdIssuedAt: existing.clientIdIssuedAt,
      clientSecretExpiresAt: 0,
      updatedAt: now,
    };
    const result: RegistrationResult = { client };
    if (this.usesSecret(metadata)) {
      if (existing.clientSecretHash) {
        client.clientSecretHash = existing.clientSecretHash;
        client.clientSecretExpiresAt = existing.clientSecretExpiresAt;
      } else {
        this.issueSecret(result, now);
      }
    }
    if (this.options.rotateRegistrationAccessToken) this.issueRegistrationAccessToken(result);
    else if (existing.registrationAccessTokenHash) {
      client.registrationAccessTokenHash = existing.registrationAccessTokenHash;
    }
    if (existing.policy) client.policy = existing.policy;
    if (existing.lastUsedAt !== undefined) client.lastUsedAt = existing.lastUsedAt;
    // Deleted meanwhile: its token no longer identifies a client (RFC 7592 §2.2).
    if (!(await this.store.replace(client)))
      throw DcrException.invalidToken(MANAGEMENT_REALM, 'the client no longer exists');
    return result;
  }

  /** 128 bits from the CSPRNG (RFC 7591 §3.2.1: unique, not guessable). */
  protected generateClientId(): string {
    return generateToken(16);
  }

  /** 256 bits from the CSPRNG. */
  protected generateClientSecret(): string {
    return generateToken(32);
  }

  /** 256 bits from the CSPRNG. */
  protected generateRegistrationAccessToken(): string {
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

  private issueSecret(result: RegistrationResult, now: number): void {
    result.clientSecret = this.generateClientSecret();
    result.client.clientSecretHash = hashSecret(result.clientSecret);
    result.client.clientSecretExpiresAt = this.secretExpiry(now);
  }

  private issueRegistrationAccessToken(result: RegistrationResult): void {
    result.registrationAccessToken = this.generateRegistrationAccessToken();
    result.client.registrationAccessTokenHash = hashSecret(result.registrationAccessToken);
  }
}
