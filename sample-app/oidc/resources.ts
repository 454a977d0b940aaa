import { errors, type Client } from 'oidc-provider';
import type { ResourceServerConfig, SampleConfig } from '../config.js';
import { ACCESS_TOKEN_TTL_SECONDS } from './lifetimes.js';

/** What the provider needs to issue an access token for one resource server. */
export interface ResourceServer {
  /** The resource indicator (RFC 8707), compared as a string. */
  readonly indicator: string;
  /** The `aud` of its tokens. */
  readonly audience: string;
  /** The scopes it accepts. */
  readonly scopes: readonly string[];
}

/** What `features.resourceIndicators.getResourceServerInfo` returns (RFC 9068 JWT access tokens). */
export interface ResourceServerInfo {
  scope: string;
  audience: string;
  accessTokenFormat: 'jwt';
  accessTokenTTL: number;
  jwt: { sign: { alg: 'ES256' } };
}

/**
 * The resource servers the embedded provider issues tokens for: the
 * registration endpoint (audience DCR_TOKEN_AUDIENCE, the registration scope)
 * and every DCR_RESOURCES entry (audience its URL). Any other indicator is
 * refused with invalid_target (RFC 8707 §2).
 */
export class ResourceServers {
  readonly registration: ResourceServer;
  private readonly byIndicator: ReadonlyMap<string, ResourceServer>;

  constructor(config: SampleConfig) {
    this.registration = {
      indicator: `${config.publicUrl}/connect/dcr`,
      audience: config.token.audience,
      scopes: [config.token.requiredScope],
    };
    const configured = config.resources.map(
      ({ url, scopes }: ResourceServerConfig): ResourceServer => ({
        indicator: url,
        audience: url,
        scopes,
      }),
    );
    this.byIndicator = new Map(
      [this.registration, ...configured].map((server) => [server.indicator, server]),
    );
  }

  /** Every scope some resource server accepts, the registration scope included. */
  get scopes(): string[] {
    return [...new Set([...this.byIndicator.values()].flatMap((server) => server.scopes))];
  }

  /** The resource server named by `indicator`; invalid_target for any other. */
  find(indicator: string): ResourceServer {
    const server = this.byIndicator.get(indicator);
    if (!server) throw new errors.InvalidTarget();
    return server;
  }

  /**
   * Token parameters for `client` at `indicator`. The scopes are those of the
   * resource server that the client registered; the grant narrows them further
   * to what the user consented to.
   */
  info(indicator: string, client: Client): ResourceServerInfo {
    const server = this.find(indicator);
    const registered = new Set(client.scope?.split(' '));
    return {
      scope: server.scopes.filter((scope) => registered.has(scope)).join(' '),
      audience: server.audience,
      accessTokenFormat: 'jwt',
      accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
      jwt: { sign: { alg: 'ES256' } },
    };
  }
}
