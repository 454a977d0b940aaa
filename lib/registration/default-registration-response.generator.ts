import { Injectable } from '@nestjs/common';
import type { RegistrationContext, RegistrationResult } from './registration-context.js';
import {
  RegistrationResponseGenerator,
  type RegistrationResponse,
} from './registration-response.generator.js';

/**
 * RFC 7591 §3.2.1: client_id, client_id_issued_at, the secret and its expiry
 * whenever one was issued, and every registered member, defaults included.
 */
@Injectable()
export class DefaultRegistrationResponseGenerator extends RegistrationResponseGenerator {
  generate(_context: RegistrationContext, result: RegistrationResult): RegistrationResponse {
    const { client } = result;
    const response: RegistrationResponse = {
      client_id: client.clientId,
      client_id_issued_at: client.clientIdIssuedAt,
    };
    if (result.clientSecret !== undefined) {
      response.client_secret = result.clientSecret;
      response.client_secret_expires_at = client.clientSecretExpiresAt;
    }
    return { ...response, ...client.metadata };
  }
}
