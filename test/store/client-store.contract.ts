import { ClientAlreadyExistsError } from '../../lib/store/store.errors.js';
import type { ClientStore } from '../../lib/store/client-store.js';
import type { StoredClient } from '../../lib/store/stored-client.js';

/** A client as the processor would build it; `overrides` replace members. */
export function sampleClient(
  clientId: string,
  overrides: Partial<StoredClient> = {},
): StoredClient {
  return {
    clientId,
    metadata: {
      redirect_uris: ['https://app.example.com/cb'],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      application_type: 'web',
      client_name: 'Contract',
      'client_name#ja': '契約',
    },
    clientIdIssuedAt: 1_700_000_000,
    clientSecretHash: 'c2VjcmV0LWhhc2g',
    clientSecretExpiresAt: 0,
    registrationAccessTokenHash: 'cmF0LWhhc2g',
    updatedAt: 1_700_000_000,
    ...overrides,
  };
}

/**
 * The behaviour every ClientStore must show. Call it inside a test file with a
 * factory that returns a fresh, empty store (and a teardown if it holds resources).
 */
export function describeClientStoreContract(
  name: string,
  open: () => Promise<ClientStore>,
  close: (store: ClientStore) => Promise<void> = async () => {},
): void {
  describe(`ClientStore contract: ${name}`, () => {
    let store: ClientStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await close(store);
    });

    it('creates and finds a client, metadata round-tripped exactly', async () => {
      const client = sampleClient('c-create');
      await store.create(client);
      expect(await store.findById('c-create')).toEqual(client);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await store.findById('nope')).toBeUndefined();
    });

    it('refuses a second client with the same id', async () => {
      await store.create(sampleClient('c-dup'));
      await expect(store.create(sampleClient('c-dup'))).rejects.toBeInstanceOf(
        ClientAlreadyExistsError,
      );
    });

    it('keeps no link to the object it was given', async () => {
      const client = sampleClient('c-copy');
      await store.create(client);
      client.metadata.client_name = 'changed';
      expect((await store.findById('c-copy'))?.metadata.client_name).toBe('Contract');
    });

    it('keeps no link to nested members either, given or handed out', async () => {
      const client = sampleClient('c-deep', {
        metadata: { ...sampleClient('').metadata, jwks: { keys: [{ kty: 'EC' }] } },
      });
      await store.create(client);
      client.metadata.redirect_uris?.push('https://evil.example/cb');
      const found = (await store.findById('c-deep')) as StoredClient;
      found.metadata.grant_types.push('implicit');
      (found.metadata.jwks as { keys: object[] }).keys.push({ kty: 'RSA' });
      const again = await store.findById('c-deep');
      expect(again?.metadata.redirect_uris).toEqual(['https://app.example.com/cb']);
      expect(again?.metadata.grant_types).toEqual(['authorization_code']);
      expect(again?.metadata.jwks).toEqual({ keys: [{ kty: 'EC' }] });
    });

    it('stores a member set to undefined as absent, as JSON would', async () => {
      await store.create(sampleClient('c-undefined', { registrationAccessTokenHash: undefined }));
      const found = await store.findById('c-undefined');
      expect(found).toBeDefined();
      expect(Object.hasOwn(found as object, 'registrationAccessTokenHash')).toBe(false);
    });

    it('replaces a client wholly, removing members left out', async () => {
      await store.create(sampleClient('c-replace', { policy: { scopes: ['a'] } }));
      const replacement = sampleClient('c-replace', {
        metadata: {
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          application_type: 'native',
          redirect_uris: ['com.example.app:/cb'],
        },
        clientSecretHash: undefined,
        updatedAt: 1_700_000_100,
      });
      delete replacement.clientSecretHash;
      delete replacement.policy;
      expect(await store.replace(replacement)).toBe(true);
      expect(await store.findById('c-replace')).toEqual(replacement);
    });

    it('reports replacing an unknown client', async () => {
      expect(await store.replace(sampleClient('c-missing'))).toBe(false);
      expect(await store.findById('c-missing')).toBeUndefined();
    });

    it('deletes a client once', async () => {
      await store.create(sampleClient('c-delete'));
      expect(await store.delete('c-delete')).toBe(true);
      expect(await store.findById('c-delete')).toBeUndefined();
      expect(await store.delete('c-delete')).toBe(false);
    });

    it('records use and prunes clients unused since a cutoff', async () => {
      await store.create(sampleClient('c-old', { clientIdIssuedAt: 100, updatedAt: 100 }));
      await store.create(sampleClient('c-used', { clientIdIssuedAt: 100, updatedAt: 100 }));
      await store.create(sampleClient('c-new', { clientIdIssuedAt: 500, updatedAt: 500 }));
      await store.markUsed('c-used', 400);
      expect((await store.findById('c-used'))?.lastUsedAt).toBe(400);
      expect(await store.deleteUnusedSince(300)).toBe(1);
      expect(await store.findById('c-old')).toBeUndefined();
      expect(await store.findById('c-used')).toBeDefined();
      expect(await store.findById('c-new')).toBeDefined();
    });

    it('records many uses at once, only ever moving a last use forward', async () => {
      await store.create(sampleClient('c-a', { lastUsedAt: 900 }));
      await store.create(sampleClient('c-b'));
      await store.markUsedMany(
        new Map([
          ['c-a', 800],
          ['c-b', 700],
          ['c-missing', 700],
        ]),
      );
      expect((await store.findById('c-a'))?.lastUsedAt).toBe(900);
      expect((await store.findById('c-b'))?.lastUsedAt).toBe(700);
      expect(await store.findById('c-missing')).toBeUndefined();
    });

    it('spends initial access token uses up to the limit, never past it', async () => {
      await store.saveInitialAccessToken({ tokenHash: 'iat-2', expiresAt: 0, maxUses: 2, uses: 0 });
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.consumeInitialAccessToken('iat-2', 1000)),
      );
      expect(results.filter(Boolean)).toHaveLength(2);
      expect(await store.consumeInitialAccessToken('iat-2', 1000)).toBeUndefined();
    });

    it('returns the policy of a spent initial access token and counts the use', async () => {
      await store.saveInitialAccessToken({
        tokenHash: 'iat-policy',
        expiresAt: 2000,
        maxUses: 0,
        uses: 0,
        policy: { grantTypes: ['client_credentials'] },
      });
      const first = await store.consumeInitialAccessToken('iat-policy', 1000);
      const second = await store.consumeInitialAccessToken('iat-policy', 1000);
      expect(first?.policy).toEqual({ grantTypes: ['client_credentials'] });
      expect(second?.uses).toBe(2);
    });

    it('refuses an expired or unknown initial access token', async () => {
      await store.saveInitialAccessToken({
        tokenHash: 'iat-exp',
        expiresAt: 1000,
        maxUses: 0,
        uses: 0,
      });
      expect(await store.consumeInitialAccessToken('iat-exp', 1000)).toBeUndefined();
      expect(await store.consumeInitialAccessToken('iat-unknown', 10)).toBeUndefined();
    });

    it('remembers a software statement id until it expires', async () => {
      expect(await store.rememberSoftwareStatementId('iss|jti', 2000, 1000)).toBe(true);
      expect(await store.rememberSoftwareStatementId('iss|jti', 2000, 1500)).toBe(false);
      expect(await store.rememberSoftwareStatementId('iss|jti', 3000, 2000)).toBe(true);
      expect(await store.rememberSoftwareStatementId('iss|jti', 3000, 2500)).toBe(false);
    });

    it('deletes expired and spent tokens and expired statement ids, and only those', async () => {
      await store.saveInitialAccessToken({
        tokenHash: 'iat-old',
        expiresAt: 100,
        maxUses: 0,
        uses: 0,
      });
      await store.saveInitialAccessToken({
        tokenHash: 'iat-spent',
        expiresAt: 0,
        maxUses: 2,
        uses: 2,
      });
      await store.saveInitialAccessToken({
        tokenHash: 'iat-live',
        expiresAt: 900,
        maxUses: 2,
        uses: 1,
      });
      await store.rememberSoftwareStatementId('iss|old', 100, 50);
      await store.rememberSoftwareStatementId('iss|live', 900, 50);
      expect(await store.deleteExpiredTokens(500)).toBe(3);
      expect(await store.deleteExpiredTokens(500)).toBe(0);
      expect(await store.consumeInitialAccessToken('iat-live', 500)).toMatchObject({ uses: 2 });
      expect(await store.rememberSoftwareStatementId('iss|live', 900, 500)).toBe(false);
      expect(await store.rememberSoftwareStatementId('iss|old', 900, 500)).toBe(true);
    });

    it('answers a ping when reachable', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
