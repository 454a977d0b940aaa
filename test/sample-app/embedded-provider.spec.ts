import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Provider } from 'oidc-provider';
import {
  hashSecret,
  InMemoryClientStore,
  PGliteDatabase,
  type StoredClient,
} from '../../lib/index.js';
import { AccountStore } from '../../sample-app/accounts/account-store.js';
import { loadConfig } from '../../sample-app/config.js';
import { toProviderClientMetadata } from '../../lib/oidc-provider/index.js';
import { createOidcProvider } from '../../sample-app/oidc/create-oidc-provider.js';

const SECRET = 'a-client-secret-with-enough-entropy-0123';

function storedClient(clientId: string): StoredClient {
  return {
    clientId,
    metadata: {
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      application_type: 'web',
      client_name: 'spec client',
    },
    clientIdIssuedAt: 1_700_000_000,
    clientSecretHash: hashSecret(SECRET),
    clientSecretExpiresAt: 0,
    updatedAt: 1_700_000_000,
  };
}

describe('toProviderClientMetadata', () => {
  it('takes credentials from the stored client only, never from its metadata', () => {
    const client = storedClient('real-id');
    client.metadata = {
      ...client.metadata,
      client_id: 'forged-id',
      client_secret: 'forged-secret',
      client_secret_expires_at: 0,
      sector_identifier_uri: 'https://a.example/sector.json',
    };
    client.clientSecretExpiresAt = 1_800_000_000;
    expect(toProviderClientMetadata(client)).toEqual({
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      application_type: 'web',
      client_name: 'spec client',
      client_id: 'real-id',
      client_id_issued_at: 1_700_000_000,
      client_secret: hashSecret(SECRET),
      client_secret_expires_at: 1_800_000_000,
    });
  });

  it('gives no secret to a client without one, even if its metadata names one', () => {
    const client = storedClient('key-client');
    delete client.clientSecretHash;
    client.metadata = { ...client.metadata, client_secret: 'forged-secret' };
    expect(toProviderClientMetadata(client)).not.toHaveProperty('client_secret');
  });
});

describe('embedded provider clients', () => {
  let dataDir: string;
  let store: InMemoryClientStore;
  let provider: Provider;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-provider-'));
    store = new InMemoryClientStore();
    const accounts = new AccountStore(new PGliteDatabase(await PGlite.create(), true), 'public');
    provider = await createOidcProvider(loadConfig({ DCR_DATA_DIR: dataDir }), store, accounts);
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('sees a stored client at once and a deleted one never again', async () => {
    await store.create(storedClient('c1'));
    expect((await provider.Client.find('c1'))?.clientId).toBe('c1');
    // A second lookup, from the provider's memo of loaded clients, still asks the store.
    expect((await provider.Client.find('c1'))?.clientId).toBe('c1');
    await store.delete('c1');
    expect(await provider.Client.find('c1')).toBeUndefined();
  });

  it('sees a replaced client as replaced', async () => {
    await store.create(storedClient('c2'));
    expect((await provider.Client.find('c2'))?.scope).toBeUndefined();
    const updated = storedClient('c2');
    updated.metadata.scope = 'openid';
    await store.replace(updated);
    expect((await provider.Client.find('c2'))?.scope).toBe('openid');
  });

  it('compares a presented secret with the stored hash', async () => {
    await store.create(storedClient('c3'));
    const client = (await provider.Client.find('c3'))!;
    expect(await client.compareClientSecret(SECRET)).toBe(true);
    expect(await client.compareClientSecret(hashSecret(SECRET))).toBe(false);
    expect(await client.compareClientSecret('')).toBe(false);
  });
});
