// oidc-provider ships no types: only the one deep import this entry point makes
// (structurally OidcAdapterFactory; ambient declarations can't import relative modules).
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  type Payload = Record<string, unknown>;

  /** The provider's own in-memory adapter, one storage per call. */
  export function createMemoryAdapter(clockTolerance?: number): (model: string) => {
    upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<Payload | undefined>;
    findByUserCode(userCode: string): Promise<Payload | undefined>;
    findByUid(uid: string): Promise<Payload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  };
}
