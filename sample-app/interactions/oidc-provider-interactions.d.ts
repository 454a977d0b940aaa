// What the sign-in pages use of oidc-provider (it ships no types); merged with oidc-provider.d.ts.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Client {
    clientName?: string;
    clientUri?: string;
    applicationType?: string;
  }

  export interface InteractionPrompt {
    name: 'login' | 'consent' | string;
    reasons: string[];
    details: {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
  }

  export interface InteractionDetails {
    uid: string;
    prompt: InteractionPrompt;
    params: Record<string, string | undefined> & { client_id: string };
    session?: { accountId?: string };
    grantId?: string;
  }

  export interface InteractionResults {
    login?: { accountId: string };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export interface Grant {
    readonly jti: string;
    accountId?: string;
    clientId?: string;
    resources?: Record<string, string>;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    getResourceScope(resource: string): string;
    save(): Promise<string>;
  }

  export interface GrantClass {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  /** The koa context as the page functions given to the provider use it. */
  export interface ProviderContext {
    host: string;
    /** The request path below the provider's mount path. */
    path: string;
    type: string;
    status: number;
    body: unknown;
    secure: boolean;
    set(name: string, value: string): void;
    response: { get(name: string): string; is(type: string): string | false };
    oidc: {
      client?: Client;
      provider: Provider;
      params?: Record<string, unknown>;
      session: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      /** What `findAccount` returned for the session's user (loaded before `loadExistingGrant`). */
      account?: { accountId: string; administrator?: boolean };
      result?: InteractionResults;
    };
  }

  export interface Provider {
    readonly Grant: GrantClass;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    use(middleware: (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>): void;
    /** A route's path; throws for a route whose feature is off. */
    pathFor(name: string, options?: { mountPath?: string }): string;
  }
}
