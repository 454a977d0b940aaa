import { Injectable } from '@nestjs/common';
import { DcrAuditor } from '../audit/dcr-auditor.js';
import { secretMatchesHash } from '../crypto/secrets.js';
import { DcrException } from '../errors/dcr.exception.js';
import { getDcrCaller } from '../registration/dcr-caller.js';
import { RegistrationContext } from '../registration/registration-context.js';
import { RegistrationService } from '../registration/registration.service.js';
import {
  RegistrationResponseGenerator,
  type RegistrationResponse,
} from '../registration/registration-response.generator.js';
import { ClientStore } from '../store/client-store.js';
import { MANAGEMENT_REALM, type ManagedClient } from './registration-access-token.guard.js';

/** Members a client update must not carry (RFC 7592 §2.2): they are the server's to set. */
const SERVER_MEMBERS = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
] as const;

/** RFC 7592: read, update (through the whole registration pipeline again) and delete. */
@Injectable()
export class ManagementService {
  constructor(
    private readonly store: ClientStore,
    private readonly registration: RegistrationService,
    private readonly responseGenerator: RegistrationResponseGenerator,
    private readonly auditor: DcrAuditor,
  ) {}

  /** RFC 7592 §2.1; the token shown is the one presented (only its hash is stored). */
  read(request: object, managed: ManagedClient): RegistrationResponse {
    const context = new RegistrationContext(request, getDcrCaller(request), {}, managed.client);
    context.metadata = managed.client.metadata;
    return this.responseGenerator.generate(context, {
      client: managed.client,
      registrationAccessToken: managed.token,
    });
  }

  /** RFC 7592 §2.2: a full replacement, validated like a registration and held to the bound policy. */
  async update(
    request: object,
    managed: ManagedClient,
    body: Record<string, unknown>,
  ): Promise<RegistrationResponse> {
    this.checkUpdateRequest(managed, body);
    const context = new RegistrationContext(request, getDcrCaller(request), body, managed.client);
    const response = await this.registration.run(context, managed.token);
    this.auditor.succeeded(request, 'client.updated', managed.client.clientId);
    return response;
  }

  /** RFC 7592 §2.3: afterwards the client, its secret and its token stop working. */
  async delete(request: object, managed: ManagedClient): Promise<void> {
    if (!(await this.store.delete(managed.client.clientId)))
      throw DcrException.invalidToken(MANAGEMENT_REALM, 'the client no longer exists');
    this.auditor.succeeded(request, 'client.deleted', managed.client.clientId);
  }

  protected checkUpdateRequest(managed: ManagedClient, body: Record<string, unknown>): void {
    if (body.client_id !== managed.client.clientId) {
      throw DcrException.invalidClientMetadata('client_id must equal the registered client_id');
    }
    const serverMember = SERVER_MEMBERS.find((member) => member in body);
    if (serverMember) {
      throw DcrException.invalidClientMetadata(`${serverMember} must not be sent in an update`);
    }
    const secret = body.client_secret;
    const hash = managed.client.clientSecretHash;
    if (
      secret !== undefined &&
      (typeof secret !== 'string' || !hash || !secretMatchesHash(secret, hash))
    ) {
      throw DcrException.invalidClientMetadata('client_secret does not match the current secret');
    }
  }
}
