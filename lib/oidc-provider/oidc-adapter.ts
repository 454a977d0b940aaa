/**
 * oidc-provider's storage contract, typed here so that this entry point
 * type-checks without any declarations for oidc-provider (it ships none):
 * structurally the same as `Adapter` / `AdapterFactory` in @types/oidc-provider.
 */

/** A stored record of one model instance, as the provider hands it over. */
export type OidcAdapterPayload = Record<string, unknown>;

/** One adapter per model name (Session, AuthorizationCode, Client, ...). */
export interface OidcAdapter {
  /** Inserts or replaces; `expiresIn` seconds from now, absent for records that don't expire. */
  upsert(id: string, payload: OidcAdapterPayload, expiresIn?: number): Promise<void>;
  /** Undefined when missing or expired; a consumed record carries `consumed` (seconds). */
  find(id: string): Promise<OidcAdapterPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcAdapterPayload | undefined>;
  findByUid(uid: string): Promise<OidcAdapterPayload | undefined>;
  /** Marks a code or token as used. */
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  /** Deletes every record of this model issued under the grant. */
  revokeByGrantId(grantId: string): Promise<void>;
}

/** What the provider's `adapter` configuration accepts as a factory. */
export type OidcAdapterFactory = (model: string) => OidcAdapter;
