import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import * as oidc from 'openid-client';
import { hashSecret } from '../../lib/crypto/secrets.js';
import { MemoryProviderState } from '../../lib/oidc-provider/memory-provider-state.js';
import type { ProviderState } from '../../lib/oidc-provider/provider-state.js';
import { SqlProviderState } from '../../lib/oidc-provider/sql-provider-state.js';
import type { ClientStore } from '../../lib/store/client-store.js';
import { InMemoryClientStore } from '../../lib/store/in-memory-client-store.js';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { PGliteDatabase } from '../../lib/store/postgres/pglite-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import type { StoredClient } from '../../lib/store/stored-client.js';
import {
  pkceAuthorizationRequest,
  redeemCode,
  type AuthorizationResponse,
} from '../support/pkce-code-flow.js';
import { testPool, useTestSchemas } from '../support/postgres.js';
import { freePort } from '../sample-app/host.js';
import {
  ACCOUNT_ID,
  authorize,
  deploymentKeys,
  startTestProvider,
  type DeploymentKeys,
  type TestProviderInstance,
} from './test-provider.js';

/**
 * A real oidc-provider on the DCR adapter, its state in the database: codes,
 * refresh tokens, opaque access tokens, sessions and interactions survive a
 * restart and are shared by every instance on one database; a code is
 * redeemed once. Driven by openid-client (authorization code + PKCE, refresh).
 */
const CLIENT_ID = 'web-app';
const SECRET = 'a-client-secret-with-enough-entropy-0123';
const REDIRECT_URI = 'https://app.example.com/cb';

function webClient(): StoredClient {
  return {
    clientId: CLIENT_ID,
    metadata: {
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'web',
    },
    clientIdIssuedAt: Math.floor(Date.now() / 1000),
    clientSecretHash: hashSecret(SECRET),
    clientSecretExpiresAt: 0,
    updatedAt: Math.floor(Date.now() / 1000),
  };
}

/** One deployment: a shared issuer and keys; instances added as they start. */
class Deployment {
  readonly keys: DeploymentKeys = deploymentKeys();
  readonly instances: TestProviderInstance[] = [];
  private metadata: oidc.ServerMetadata | undefined;

  constructor(readonly issuerPort: number) {}

  get issuer(): string {
    return `http://127.0.0.1:${this.issuerPort}`;
  }

  async start(
    store: ClientStore,
    state: ProviderState,
    port = this.issuerPort,
  ): Promise<TestProviderInstance> {
    const instance = await startTestProvider({
      issuer: this.issuer,
      port,
      keys: this.keys,
      store,
      state,
    });
    this.instances.push(instance);
    return instance;
  }

  /** openid-client's view of the deployment, with its token and userinfo calls sent to `instance`. */
  async client(instance: TestProviderInstance): Promise<oidc.Configuration> {
    this.metadata ??= (await (
      await fetch(`${this.issuer}/.well-known/openid-configuration`)
    ).json()) as oidc.ServerMetadata;
    const at = (endpoint: string | undefined): string =>
      new URL(new URL(endpoint!).pathname, instance.url).href;
    const config = new oidc.Configuration(
      {
        ...this.metadata,
        token_endpoint: at(this.metadata.token_endpoint),
        userinfo_endpoint: at(this.metadata.userinfo_endpoint),
      },
      CLIENT_ID,
      {},
      oidc.ClientSecretBasic(SECRET),
    );
    oidc.allowInsecureRequests(config);
    return config;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.instances.splice(0).map((instance) => instance.close()));
  }
}

/**
 * The front channel: the authorization request at `first`; after the
 * interaction (hop 1), every hop goes to `resumeAt`, so the interaction and
 * session a host wrote must be read by the other.
 */
async function authorizeAt(
  config: oidc.Configuration,
  first: TestProviderInstance,
  resumeAt: TestProviderInstance = first,
): Promise<AuthorizationResponse> {
  const { url: start, verifier, state } = await pkceAuthorizationRequest(config, REDIRECT_URI);
  const toInstance = (url: URL, instance: TestProviderInstance): URL =>
    new URL(url.pathname + url.search, instance.url);
  const callback = await authorize(toInstance(start, first), REDIRECT_URI, (url, hop) =>
    hop >= 2 ? toInstance(url, resumeAt) : url,
  );
  return { callback, verifier, state };
}

/** The userinfo status an access token gets at an instance (opaque tokens are looked up in the state). */
async function userinfoStatus(
  instance: TestProviderInstance,
  accessToken: string,
): Promise<number> {
  const res = await fetch(`${instance.url}/me`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return res.status;
}

describe('provider state on one PostgreSQL database, two hosts', () => {
  const { freshSchema } = useTestSchemas();
  const pools: ReturnType<typeof testPool>[] = [];
  let deployment: Deployment;
  let hostA: TestProviderInstance;
  let hostB: TestProviderInstance;

  /** A host of its own: its own pool, store and state, on the shared schema. */
  async function openHost(
    schema: string,
  ): Promise<{ store: ClientStore; state: SqlProviderState }> {
    const pool = testPool();
    pools.push(pool);
    const store = new PostgresClientStore(new PgPoolDatabase(pool, false), schema);
    await store.migrate();
    const state = SqlProviderState.besideClients(store);
    await state.migrate();
    return { store, state };
  }

  beforeAll(async () => {
    const schema = freshSchema('provider_hosts');
    deployment = new Deployment(await freePort());
    const a = await openHost(schema);
    const b = await openHost(schema);
    await a.store.create(webClient());
    hostA = await deployment.start(a.store, a.state);
    hostB = await deployment.start(b.store, b.state, await freePort());
  });

  afterAll(async () => {
    await deployment.closeAll();
    await Promise.all(pools.map((pool) => pool.end()));
  });

  it('redeems at one host a code issued by the other, and shares the tokens it issued', async () => {
    const configA = await deployment.client(hostA);
    const configB = await deployment.client(hostB);
    const response = await authorizeAt(configA, hostA, hostB);
    expect(response.callback.searchParams.get('iss')).toBe(deployment.issuer);

    const tokens = await redeemCode(configB, response);
    expect(tokens.claims()?.sub).toBe(ACCOUNT_ID);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(await userinfoStatus(hostA, tokens.access_token)).toBe(200);

    // Refresh at A with the token B issued, then at B with the one A rotated to.
    const second = await oidc.refreshTokenGrant(configA, tokens.refresh_token!);
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    const third = await oidc.refreshTokenGrant(configB, second.refresh_token!);
    expect(await userinfoStatus(hostA, third.access_token)).toBe(200);

    // A rotated-out refresh token, presented anywhere, revokes the whole grant.
    await expect(oidc.refreshTokenGrant(configA, second.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(oidc.refreshTokenGrant(configB, third.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(await userinfoStatus(hostB, third.access_token)).toBe(401);
  });

  it('refuses a replayed code at the other host and revokes what the code issued', async () => {
    const configA = await deployment.client(hostA);
    const configB = await deployment.client(hostB);
    const response = await authorizeAt(configA, hostA);
    const tokens = await redeemCode(configA, response);
    expect(await userinfoStatus(hostB, tokens.access_token)).toBe(200);

    await expect(redeemCode(configB, response)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await userinfoStatus(hostA, tokens.access_token)).toBe(401);
    await expect(oidc.refreshTokenGrant(configA, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('lets exactly one of two hosts redeeming one code at once succeed, and revokes the grant', async () => {
    const configA = await deployment.client(hostA);
    const configB = await deployment.client(hostB);
    const response = await authorizeAt(configA, hostA);
    const results = await Promise.allSettled([
      redeemCode(configA, response),
      redeemCode(configB, response),
    ]);
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result) => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant' });
    const tokens = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof redeemCode>>>).value;
    await expect(oidc.refreshTokenGrant(configA, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(await userinfoStatus(hostB, tokens.access_token)).toBe(401);
  });
});

describe('provider state in PGlite across a restart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dcr-provider-state-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The host's storage as it opens at start-up: one PGlite, the state beside the clients. */
  async function open(): Promise<{ store: PostgresClientStore; state: SqlProviderState }> {
    const store = new PostgresClientStore(
      new PGliteDatabase(await PGlite.create(join(dir, 'pglite')), true),
    );
    await store.migrate();
    const state = SqlProviderState.besideClients(store);
    await state.migrate();
    return { store, state };
  }

  it('keeps a refresh token (and its access token) working after the provider restarts', async () => {
    const deployment = new Deployment(await freePort());
    const before = await open();
    await before.store.create(webClient());
    const first = await deployment.start(before.store, before.state);
    const tokens = await redeemCode(
      await deployment.client(first),
      await authorizeAt(await deployment.client(first), first),
    );
    await deployment.closeAll();
    await before.store.close();

    const after = await open();
    try {
      const restarted = await deployment.start(after.store, after.state);
      expect(await userinfoStatus(restarted, tokens.access_token)).toBe(200);
      const refreshed = await oidc.refreshTokenGrant(
        await deployment.client(restarted),
        tokens.refresh_token!,
      );
      expect(refreshed.claims()?.sub).toBe(ACCOUNT_ID);
      expect(await userinfoStatus(restarted, refreshed.access_token)).toBe(200);
    } finally {
      await deployment.closeAll();
      await after.store.close();
    }
  }, 120_000);
});

describe('provider state in memory (a ClientStore without a database)', () => {
  it('serves the code flow, and a restart forgets it', async () => {
    const store = new InMemoryClientStore();
    await store.create(webClient());
    const deployment = new Deployment(await freePort());
    const host = await deployment.start(store, new MemoryProviderState());
    try {
      const config = await deployment.client(host);
      const tokens = await redeemCode(config, await authorizeAt(config, host));
      expect(await userinfoStatus(host, tokens.access_token)).toBe(200);
      await deployment.closeAll();
      const restarted = await deployment.start(store, new MemoryProviderState());
      await expect(
        oidc.refreshTokenGrant(await deployment.client(restarted), tokens.refresh_token!),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
    } finally {
      await deployment.closeAll();
    }
  });
});
