import {
  HttpStatus,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { secretMatchesHash } from '../crypto/secrets.js';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import { DcrErrorCode } from '../errors/dcr-error-code.js';
import { DcrException } from '../errors/dcr.exception.js';
import { ClientStore } from '../store/client-store.js';
import { readBearerToken } from '../auth/bearer-token.js';
import type { StoredClient } from '../store/stored-client.js';

const MANAGED = Symbol.for('nestjs-dcr.managed-client');

/** The realm of the client configuration endpoint's bearer challenges. */
export const MANAGEMENT_REALM = 'dcr-management';

/** The client a registration access token was accepted for, with the token as presented. */
export interface ManagedClient {
  client: StoredClient;
  token: string;
}

type ManagementRequest = {
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string | undefined>;
  [MANAGED]?: ManagedClient;
};

/** The managed client, when the guard accepted a token on this request. */
export function findManagedClient(request: object): ManagedClient | undefined {
  return (request as ManagementRequest)[MANAGED];
}

export function getManagedClient(request: object): ManagedClient {
  const managed = findManagedClient(request);
  if (!managed) throw new Error('RegistrationAccessTokenGuard did not run');
  return managed;
}

/**
 * RFC 7592 §2: the client configuration endpoint accepts only the client's own
 * registration access token, from the Authorization header. An unknown client,
 * another client's token and a bad token all get the same 401 (no oracle).
 */
@Injectable()
export class RegistrationAccessTokenGuard implements CanActivate {
  constructor(
    private readonly store: ClientStore,
    @Inject(DCR_OPTIONS) private readonly options: ResolvedDcrOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.options.management) {
      throw new DcrException(
        DcrErrorCode.InvalidRequest,
        'client management (RFC 7592) is not enabled',
        HttpStatus.NOT_FOUND,
      );
    }
    const request = context.switchToHttp().getRequest<ManagementRequest>();
    const token = readBearerToken(request, MANAGEMENT_REALM);
    if (token === undefined) throw DcrException.bearerTokenRequired(MANAGEMENT_REALM);
    const client = await this.store.findById(request.params.clientId ?? '');
    const hash = client?.registrationAccessTokenHash;
    if (!client || !hash || !secretMatchesHash(token, hash)) {
      throw DcrException.invalidToken(
        MANAGEMENT_REALM,
        'the registration access token is not valid for this client',
      );
    }
    request[MANAGED] = { client, token };
    return true;
  }
}
