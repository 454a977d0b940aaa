import { Inject, Injectable } from '@nestjs/common';
import { DCR_OPTIONS, DCR_PATH } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import type { RegistrationContext, RegistrationResult } from './registration-context.js';
import {
  RegistrationResponseGenerator,
  type RegistrationResponse,
} from './registration-response.generator.js';

/**
 * RFC 7591 §3.2.1 / RFC 7592 §3: client_id, client_id_issued_at, the secret
 * when one was issued now (only its hash is kept, so it is shown once) with
 * its expiry whenever the client has one, the registration access token with
 * its absolute URI, and every registered member, defaults included.
 */
@Injectable()
export class DefaultRegistrationResponseGenerator extends RegistrationResponseGenerator {
  constructor(
    @Inject(DCR_OPTIONS) protected readonly options: ResolvedDcrOptions,
    @Inject(DCR_PATH) protected readonly path: string,
  ) {
    super();
  }

  generate(_context: RegistrationContext, result: RegistrationResult): RegistrationResponse {
    const { client } = result;
    const response: RegistrationResponse = {
      client_id: client.clientId,
      client_id_issued_at: client.clientIdIssuedAt,
    };
    if (result.clientSecret !== undefined) response.client_secret = result.clientSecret;
    if (client.clientSecretHash !== undefined) {
      response.client_secret_expires_at = client.clientSecretExpiresAt;
    }
    if (result.registrationAccessToken !== undefined) {
      response.registration_access_token = result.registrationAccessToken;
      response.registration_client_uri = this.registrationClientUri(client.clientId);
    }
    // Copies the metadata into the fresh response (cheaper than spreading both).
    return Object.assign(response, client.metadata);
  }

  /** The client configuration endpoint (RFC 7592 §2): publicBaseUrl + path + client_id. */
  protected registrationClientUri(clientId: string): string {
    const path = this.path.replace(/^\/+|\/+$/g, '');
    return new URL(`${path}/${encodeURIComponent(clientId)}`, this.options.publicBaseUrl).href;
  }
}
