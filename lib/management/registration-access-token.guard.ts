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
import type { StoredClient } from '../store/stored-client.js';

const MANAGED = Symbol.for('nestjs-dcr.managed-client');

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

export function getManagedClient(request: object): ManagedClient {
  const managed = (request as ManagementRequest)[MANAGED];
  if (!managed) throw new Error('RegistrationAccessTokenGuard did not run');
  return managed;
}

/** The token of an `Authorization: Bearer` header (scheme case-insensitive, RFC 6750 §2.1). */
function bearerToken(header: string | string[] | undefined): string | undefined {
  const match =
    typeof header === 'string' ? /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header) : null;
  return match?.[1];
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
    const header = request.headers.authorization;
    if (header === undefined) {
      throw new DcrException(
        DcrErrorCode.InvalidToken,
        'a registration access token is required',
        HttpStatus.UNAUTHORIZED,
        { 'WWW-Authenticate': 'Bearer realm="client-registration"' },
      );
    }
    const token = bearerToken(header);
    const clientId = request.params.clientId ?? '';
    const client = token === undefined ? undefined : await this.store.findById(clientId);
    const hash = client?.registrationAccessTokenHash;
    if (!client || !hash || !secretMatchesHash(token!, hash)) throw DcrException.invalidToken();
    request[MANAGED] = { client, token: token! };
    return true;
  }
}
