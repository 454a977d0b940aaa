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

const ES256_JWT = Object.freeze({ sign: Object.freeze({ alg: 'ES256' as const }) });

/**
 * The resource servers the embedded provider issues tokens for: the
 * registration endpoint (audience DCR_TOKEN_AUDIENCE, the registration scope)
 * and every DCR_RESOURCES entry (audience its URL). Any other indicator is
 * refused with invalid_target (RFC 8707 §2).
 */
export class ResourceServers {
  readonly registration: ResourceServer;
  private readonly byIndicator: ReadonlyMap<string, ResourceServer>;
  /**
   * Answers per Client object, for the token path: the provider's Client is
   * rebuilt whenever its metadata changes (reuseClientInstances), so a
   * changed scope gets a new answer. Unknown indicators are not remembered.
   */
  private readonly infoByClient = new WeakMap<Client, Map<string, ResourceServerInfo>>();

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
    let byIndicator = this.infoByClient.get(client);
    if (byIndicator === undefined) {
      byIndicator = new Map();
      this.infoByClient.set(client, byIndicator);
    }
    let info = byIndicator.get(indicator);
    if (info === undefined) {
      info = this.describe(this.find(indicator), client);
      byIndicator.set(indicator, info);
    }
    return info;
  }

  private describe(server: ResourceServer, client: Client): ResourceServerInfo {
    const registered = new Set(client.scope?.split(' '));
    // Frozen: one answer serves every token of this client.
    return Object.freeze({
      scope: server.scopes.filter((scope) => registered.has(scope)).join(' '),
      audience: server.audience,
      accessTokenFormat: 'jwt',
      accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
      jwt: ES256_JWT,
    });
  }
}
