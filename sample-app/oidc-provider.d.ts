// oidc-provider ships no types: these declare only what the sample uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** A loaded client (camelCased metadata). */
  export interface Client {
    clientId: string;
    clientSecret?: string;
    scope?: string;
    clientAuthMethod: string;
    redirectUris: string[];
    grantTypeAllowed(grantType: string): boolean;
    redirectUriAllowed(redirectUri: string): boolean;
    compareClientSecret(presented: string): boolean | Promise<boolean>;
    readonly redirectUris?: string[];
    redirectUriAllowed(value: string): boolean;
  }

  /** A refresh token being used (the fields the sample reads). */
  export interface RefreshToken {
    resource?: string | string[];
    readonly scopes: Set<string>;
    readonly resourceIndicators: Set<string | undefined>;
    ttlPercentagePassed(): number;
  }

  export interface ClientClass {
    new (metadata: Record<string, unknown>): Client;
    prototype: Client;
    find(id: string): Promise<Client | undefined>;
  }

  export interface KoaContextWithOidc {
    oidc: {
      client?: Client;
      params: Record<string, unknown>;
      /** The `scope` parameter, split. */
      readonly requestParamScopes: Set<string>;
      entities: {
        RefreshToken?: RefreshToken;
        /** What `findAccount` returned. */
        Account?: { accountId: string; administrator?: boolean };
      };
    };
  }

  /** Errors that know their OAuth code and a description safe to show. */
  export interface OidcError extends Error {
    error: string;
    error_description?: string;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => OidcError;
    InvalidClient: new (description?: string) => OidcError;
    /** Answers "grant request is invalid"; the detail goes to the provider's events only. */
    InvalidGrant: new (detail?: string) => OidcError;
  };

  export class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    readonly issuer: string;
    readonly Client: ClientClass;
    /** Trust X-Forwarded-* (behind a TLS-terminating proxy). */
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (ctx: KoaContextWithOidc, ...args: unknown[]) => void): this;
  }
}
