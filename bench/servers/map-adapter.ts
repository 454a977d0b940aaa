type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string };

const entries = new Map<string, Payload>();
/** Secondary keys (a session's uid, a device's user code) to an entry's key. */
const aliases = new Map<string, string>();
const keysByGrant = new Map<string, Set<string>>();

/**
 * An unbounded in-memory oidc-provider adapter for the anchors, laid out as
 * the provider's own: that one keeps 1,000 entries (an LRU), and a row's
 * thousands of codes and refresh tokens would push out the session and grant
 * they need. Expiry is left to the provider, which checks every model's `exp`
 * itself; a row is too short to need eviction.
 */
export class MapAdapter {
  constructor(private readonly model: string) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Payload): Promise<void> {
    const key = this.key(id);
    entries.set(key, payload);
    if (payload.uid !== undefined) aliases.set(`${this.model}:uid:${payload.uid}`, key);
    if (payload.userCode !== undefined) {
      aliases.set(`${this.model}:userCode:${payload.userCode}`, key);
    }
    if (payload.grantId !== undefined) {
      const keys = keysByGrant.get(payload.grantId) ?? new Set<string>();
      keysByGrant.set(payload.grantId, keys.add(key));
    }
  }

  async find(id: string): Promise<Payload | undefined> {
    return entries.get(this.key(id));
  }

  private byAlias(alias: string): Payload | undefined {
    const key = aliases.get(`${this.model}:${alias}`);
    return key === undefined ? undefined : entries.get(key);
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    return this.byAlias(`uid:${uid}`);
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    return this.byAlias(`userCode:${userCode}`);
  }

  async consume(id: string): Promise<void> {
    const payload = entries.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    entries.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of keysByGrant.get(grantId) ?? []) entries.delete(key);
    keysByGrant.delete(grantId);
  }
}
