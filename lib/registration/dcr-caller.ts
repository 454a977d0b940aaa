import type { RegistrationPolicy } from './registration-policy.js';

/** Who is registering: set on the request by the guard that let the call in. */
export interface DcrCaller {
  /** How the caller authenticated. */
  kind: 'bearer' | 'initial_access_token' | 'anonymous';
  /** The token's `sub`, when it has one. */
  subject?: string;
  /** The token's `client_id` (or `azp`), when it has one. */
  clientId?: string;
  /** Granted scopes. */
  scopes: readonly string[];
  /** All claims of the token (empty for anonymous callers). */
  claims: Readonly<Record<string, unknown>>;
  /** An initial access token's id (a prefix of its stored hash), for audit records. */
  tokenId?: string;
  /** Policy bound to the credential (e.g. an initial access token's), applied to the registration. */
  policy?: Readonly<RegistrationPolicy>;
}

const CALLER = Symbol.for('nestjs-dcr.caller');

type WithCaller = { [CALLER]?: DcrCaller };

/** Guards call this once they have authenticated the caller. */
export function setDcrCaller(request: object, caller: DcrCaller): void {
  (request as WithCaller)[CALLER] = caller;
}

export function getDcrCaller(request: object): DcrCaller | undefined {
  return (request as WithCaller)[CALLER];
}
