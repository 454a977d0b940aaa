import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { decodeJwt } from 'jose';
import type { Provider } from 'oidc-provider';
import {
  ClientLookupCache,
  ClientUseRecorder,
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
  let lookup: ClientLookupCache;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-provider-'));
    store = new InMemoryClientStore();
    const accounts = new AccountStore(new PGliteDatabase(await PGlite.create(), true), 'public');
    // As the host wires it: lookups cached in front of the store, which tells of its changes.
    lookup = new ClientLookupCache(store);
    const uses = new ClientUseRecorder(store);
    const config = loadConfig({ DCR_DATA_DIR: dataDir });
    provider = await createOidcProvider(config, store, accounts, { lookup, uses });
  });

  afterAll(() => {
    lookup.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sees a stored client at once and a deleted one never again', async () => {
    await store.create(storedClient('c1'));
    expect((await provider.Client.find('c1'))?.clientId).toBe('c1');
    // A second lookup, served from the cache.
    expect((await provider.Client.find('c1'))?.clientId).toBe('c1');
    expect(lookup.size.clients).toBe(1);
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

  it('hands out one Client per stored version: a new one after a change, none after a delete', async () => {
    await store.create(storedClient('c4'));
    const first = await provider.Client.find('c4');
    expect(await provider.Client.find('c4')).toBe(first);
    const rotated = storedClient('c4');
    rotated.clientSecretHash = hashSecret(`${SECRET}-rotated`);
    await store.replace(rotated);
    const second = (await provider.Client.find('c4'))!;
    expect(second).not.toBe(first);
    expect(await second.compareClientSecret(`${SECRET}-rotated`)).toBe(true);
    expect(await second.compareClientSecret(SECRET)).toBe(false);
    expect(await provider.Client.find('c4')).toBe(second);
    await store.delete('c4');
    expect(await provider.Client.find('c4')).toBeUndefined();
    expect(await provider.Client.find('')).toBeUndefined();
  });

  it('refuses stored metadata the provider refuses, on every lookup', async () => {
    const broken = storedClient('c5');
    broken.metadata.token_endpoint_auth_method = 'no_such_method';
    await store.create(broken);
    await expect(provider.Client.find('c5')).rejects.toThrow('invalid_client_metadata');
    await expect(provider.Client.find('c5')).rejects.toThrow('invalid_client_metadata');
  });

  it('issues client_credentials tokens for the scope the client has now, with API headers only', async () => {
    const server: Server = createServer(provider.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const tokenFor = async (clientId: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${port}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=dcr.register',
      });
    const scopeOf = async (response: Response): Promise<unknown> => {
      expect(response.status).toBe(200);
      const { access_token } = (await response.json()) as { access_token: string };
      return decodeJwt(access_token).scope;
    };
    try {
      const client = storedClient('c6');
      client.metadata.scope = 'dcr.register';
      await store.create(client);
      const first = await tokenFor('c6');
      // An API answer: nosniff, never the pages' policy.
      expect(first.headers.get('x-content-type-options')).toBe('nosniff');
      expect(first.headers.get('content-security-policy')).toBeNull();
      expect(first.headers.get('x-frame-options')).toBeNull();
      expect(await scopeOf(first)).toBe('dcr.register');
      expect(await scopeOf(await tokenFor('c6'))).toBe('dcr.register');
      // The scope withdrawn: no longer granted, not served from the remembered answer.
      await store.replace(storedClient('c6'));
      expect(await scopeOf(await tokenFor('c6'))).toBeUndefined();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('compares a presented secret with the stored hash', async () => {
    await store.create(storedClient('c3'));
    const client = (await provider.Client.find('c3'))!;
    expect(await client.compareClientSecret(SECRET)).toBe(true);
    expect(await client.compareClientSecret(hashSecret(SECRET))).toBe(false);
    expect(await client.compareClientSecret('')).toBe(false);
  });
});
