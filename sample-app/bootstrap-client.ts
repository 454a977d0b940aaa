import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  ClientAlreadyExistsError,
  ClientStore,
  generateToken,
  hashSecret,
  type StoredClient,
} from '../lib/index.js';
import { SAMPLE_CONFIG, type SampleConfig } from './config.js';

/** The bootstrap client's id when DCR_BOOTSTRAP_CLIENT_ID is unset. */
export const GENERATED_BOOTSTRAP_CLIENT_ID = 'dcr-bootstrap';

/**
 * The first client, the one allowed to register others: client_credentials
 * with the registration scope. Stored like any client (secret hashed) and
 * written at every start, so changing DCR_BOOTSTRAP_CLIENT_SECRET rotates it.
 * Without configured credentials a fresh secret is generated and printed once;
 * the id stays fixed so that each start replaces (revokes) the previous
 * generated secret instead of piling up clients with registration power.
 */
@Injectable()
export class BootstrapClient implements OnApplicationBootstrap {
  constructor(
    private readonly store: ClientStore,
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const configured = this.config.bootstrapClient;
    const id = configured?.id ?? GENERATED_BOOTSTRAP_CLIENT_ID;
    const secret = configured?.secret ?? generateToken(32);
    await this.save(id, secret);
    if (!configured) this.printOnce(id, secret);
  }

  private async save(id: string, secret: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const existing = await this.store.findById(id);
    const client: StoredClient = {
      clientId: id,
      metadata: this.metadata(),
      clientIdIssuedAt: existing?.clientIdIssuedAt ?? now,
      clientSecretHash: hashSecret(secret),
      clientSecretExpiresAt: 0,
      updatedAt: now,
    };
    if (existing) {
      await this.store.replace(client);
      return;
    }
    try {
      await this.store.create(client);
    } catch (error) {
      // Another instance created it meanwhile.
      if (!(error instanceof ClientAlreadyExistsError)) throw error;
      await this.store.replace(client);
    }
  }

  /**
   * client_credentials with the registration scope; with
   * DCR_BOOTSTRAP_REDIRECT_URIS also an interactive web client (the seed's
   * second scenario): authorization_code + refresh_token, its tokens carrying
   * the registration scope only when an administrator signs in.
   */
  private metadata(): StoredClient['metadata'] {
    const redirectUris = this.config.bootstrapRedirectUris;
    const scope = this.config.token.requiredScope;
    const common = {
      client_name: 'DCR bootstrap client',
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'web' as const,
    };
    if (redirectUris.length === 0) {
      return { ...common, grant_types: ['client_credentials'], response_types: [], scope };
    }
    return {
      ...common,
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: redirectUris,
      scope: `openid ${scope}`,
    };
  }

  /** The one place a secret is ever written out, as the issue asks: on stdout, not through the logger. */
  private printOnce(id: string, secret: string): void {
    process.stdout.write(
      [
        '',
        'Bootstrap client (generated: set DCR_BOOTSTRAP_CLIENT_ID and DCR_BOOTSTRAP_CLIENT_SECRET to choose it;',
        'this secret is shown once and replaced at the next start):',
        `  DCR_BOOTSTRAP_CLIENT_ID=${id}`,
        `  DCR_BOOTSTRAP_CLIENT_SECRET=${secret}`,
        '',
        '',
      ].join('\n'),
    );
  }
}
