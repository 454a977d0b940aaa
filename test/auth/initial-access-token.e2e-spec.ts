import { InitialAccessTokenService } from '../../lib/auth/initial-access-token.service.js';
import { hashSecret } from '../../lib/crypto/secrets.js';
import { DcrModule } from '../../lib/dcr.module.js';
import { DcrConfigurationError } from '../../lib/errors/dcr-configuration.error.js';
import { ClientStore } from '../../lib/store/client-store.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import { RecordingValidator } from '../support/recording-validator.js';
import { registerAs } from '../support/registration-client.js';

describe.each(ADAPTERS)('initial access tokens (%s)', (adapter) => {
  // No `registration` option: protected by initial access tokens by default.
  // allowedScopes set explicitly: no scope is registrable by default.
  const { app, url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      validator: RecordingValidator,
      allowedScopes: ['billing.read', 'billing.write'],
    }),
  );
  let tokens: InitialAccessTokenService;
  let store: ClientStore;
  beforeAll(() => {
    tokens = app().get(InitialAccessTokenService);
    store = app().get(ClientStore);
  });

  /** Deletes every client, returning how many there were. */
  const countAndClearClients = () => store.deleteUnusedSince(Number.MAX_SAFE_INTEGER);

  it('is required by default: no token, 401 with a Bearer challenge', async () => {
    const res = await registerAs(url());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="dcr"');
    expect(res.body.error).toBe('invalid_token');
  });

  it('registers with a minted token; the caller reaches the pipeline', async () => {
    const { token, id, maxUses, expiresAt } = await tokens.mint();
    expect(maxUses).toBe(1);
    expect(expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(id).toMatch(/^[\w-]{16}$/);
    expect(token).not.toContain(id);
    const res = await registerAs(url(), `Bearer ${token}`);
    expect(res.status).toBe(201);
    expect(RecordingValidator.callers.at(-1)).toEqual({
      kind: 'initial_access_token',
      tokenId: id,
      scopes: [],
      claims: {},
    });
  });

  it('stores only the hash of the token', async () => {
    const { token } = await tokens.mint({ maxUses: 0 });
    const stored = await store.consumeInitialAccessToken(hashSecret(token), Date.now() / 1000);
    expect(stored?.tokenHash).toBe(hashSecret(token));
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('refuses an unknown token', async () => {
    const res = await registerAs(url(), 'Bearer x8kZ3AZ0uQb7wY3uC8pQ4f4dMZ3H6KJr1Xw0vT9tY7s');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('refuses a token once its uses are spent', async () => {
    const { token } = await tokens.mint({ maxUses: 1 });
    expect((await registerAs(url(), `Bearer ${token}`)).status).toBe(201);
    const again = await registerAs(url(), `Bearer ${token}`);
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_token');
  });

  it('refuses an expired token', async () => {
    const token = 'expired-initial-access-token-for-the-test-000000';
    await store.saveInitialAccessToken({
      tokenHash: hashSecret(token),
      expiresAt: Math.floor(Date.now() / 1000) - 1,
      maxUses: 0,
      uses: 0,
    });
    expect((await registerAs(url(), `Bearer ${token}`)).status).toBe(401);
  });

  it('creates exactly 2 clients from 10 parallel registrations with a 2-use token', async () => {
    await countAndClearClients();
    const { token } = await tokens.mint({ maxUses: 2 });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => registerAs(url(), `Bearer ${token}`)),
    );
    const statuses = results.map((res) => res.status).sort();
    expect(statuses).toEqual([201, 201, 401, 401, 401, 401, 401, 401, 401, 401]);
    expect(await countAndClearClients()).toBe(2);
  });

  it('binds the token policy to the caller', async () => {
    const policy = { grantTypes: ['client_credentials'], scopes: ['billing.read'] };
    const { token } = await tokens.mint({ policy });
    const within = { grant_types: ['client_credentials'], scope: 'billing.read' };
    expect((await registerAs(url(), `Bearer ${token}`, within)).status).toBe(201);
    expect(RecordingValidator.callers.at(-1)).toMatchObject({
      kind: 'initial_access_token',
      policy,
    });
    const { token: second } = await tokens.mint({ policy });
    const outside = await registerAs(url(), `Bearer ${second}`, {
      ...within,
      scope: 'billing.write',
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error).toBe('invalid_client_metadata');
  });

  it('refuses to mint with bad limits or a policy wider than the module allows', async () => {
    await expect(tokens.mint({ maxUses: -1 })).rejects.toThrow(RangeError);
    await expect(tokens.mint({ expiresInSeconds: 1.5 })).rejects.toThrow(RangeError);
    await expect(tokens.mint({ policy: { grantTypes: ['password'] } })).rejects.toThrow(
      DcrConfigurationError,
    );
  });
});
