import { MirroredSqlProviderState } from '../../lib/oidc-provider/mirrored-sql-provider-state.js';
import { openProviderState } from '../../lib/oidc-provider/open-provider-state.js';
import { SqlProviderState } from '../../lib/oidc-provider/sql-provider-state.js';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { CountingPgDatabase } from '../support/counting-databases.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { useTestSchemas } from '../support/postgres.js';
import { describeProviderStateContract, testClock } from './provider-state.contract.js';

// The real PostgreSQL server; a fresh schema per test, dropped at the end.
const { pool, freshSchema } = useTestSchemas();

describeProviderStateContract('PostgreSQL server', async (clock) => {
  const state = new SqlProviderState(
    new PgPoolDatabase(pool(), false),
    freshSchema('provider_state'),
    clock,
  );
  await state.migrate();
  return state;
});

describe('openProviderState on a PostgreSQL server', () => {
  it('keeps no mirror: other instances write the same table', async () => {
    const store = new PostgresClientStore(
      new PgPoolDatabase(pool(), false),
      freshSchema('provider_state'),
    );
    await store.migrate();
    const state = await openProviderState(store, { sweepIntervalSeconds: 0 });
    expect(state).toBeInstanceOf(SqlProviderState);
    expect(state).not.toBeInstanceOf(MirroredSqlProviderState);
  });
});

describe('SqlProviderState on a PostgreSQL server, a grant request', () => {
  it("reads a refresh token, its Session and its Grant in one statement, and a code's likewise", async () => {
    const database = new CountingPgDatabase(pool(), false);
    const state = new SqlProviderState(database, freshSchema('provider_state'), testClock());
    await state.migrate();
    const session = { uid: 'u1', accountId: 'alice', authorizations: { c: { grantId: 'g1' } } };
    const bound = { grantId: 'g1', sessionUid: 'u1', expiresWithSession: true };
    await state.adapterFor('Grant').upsert('g1', { accountId: 'alice', clientId: 'c' }, 600);
    await state.adapterFor('Session').upsert('cookie-1', session, 600);
    await state.adapterFor('RefreshToken').upsert('rt1', bound, 300);
    await state.adapterFor('AuthorizationCode').upsert('code1', bound, 60);

    for (const [model, id] of [
      ['RefreshToken', 'rt1'],
      ['AuthorizationCode', 'code1'],
    ]) {
      database.statements = 0;
      expect(await state.adapterFor(model).find(id)).toEqual(bound);
      expect(await state.adapterFor('Session').findByUid('u1')).toEqual(session);
      expect(await state.adapterFor('Grant').find('g1')).toMatchObject({ accountId: 'alice' });
      expect(database.statements).toBe(1);
    }

    // Each read serves one find: the next ones ask the database.
    database.statements = 0;
    await state.adapterFor('Session').findByUid('u1');
    await state.adapterFor('Grant').find('g1');
    expect(database.statements).toBe(2);
  });
});

describe('SqlProviderState on a PostgreSQL server, concurrent writes', () => {
  let database: CountingPgDatabase;
  let state: SqlProviderState;

  beforeEach(async () => {
    database = new CountingPgDatabase(pool(), false);
    state = new SqlProviderState(database, freshSchema('provider_state'), testClock());
    await state.migrate();
    database.statements = 0;
  });

  it('writes the upserts and consumes of one event-loop turn in one statement each', async () => {
    const codes = state.adapterFor('AuthorizationCode');
    const tokens = state.adapterFor('RefreshToken');
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        Promise.all([
          codes.upsert(`code-${i}`, { grantId: `g${i}` }, 60),
          tokens.upsert(`rt-${i}`, { grantId: `g${i}` }, 600),
        ]),
      ),
    );
    expect(database.statements).toBe(1);
    await Promise.all(Array.from({ length: 40 }, (_, i) => codes.consume(`code-${i}`)));
    expect(database.statements).toBe(2);
    for (let i = 0; i < 40; i++) {
      expect(await codes.find(`code-${i}`)).toEqual({ grantId: `g${i}`, consumed: 1_800_000_000 });
      expect(await tokens.find(`rt-${i}`)).toEqual({ grantId: `g${i}` });
    }
  });

  it('reads the finds by id of one event-loop turn in one statement, a key asked twice once', async () => {
    const grants = state.adapterFor('Grant');
    const tokens = state.adapterFor('RefreshToken');
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        Promise.all([
          grants.upsert(`g${i}`, { accountId: `a${i}` }, 600),
          tokens.upsert(`rt-${i}`, { grantId: `g${i}` }, 600),
        ]),
      ),
    );
    database.statements = 0;
    const found = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        Promise.all([grants.find(`g${i}`), grants.find(`g${i}`), tokens.find(`rt-${i}`)]),
      ),
    );
    expect(database.statements).toBe(2);
    found.forEach(([grant, again, token], i) => {
      expect(grant).toEqual({ accountId: `a${i}` });
      expect(again).toEqual(grant);
      expect(again).not.toBe(grant);
      expect(token).toEqual({ grantId: `g${i}` });
    });
    expect(await Promise.all([grants.find('missing'), grants.find('g1')])).toEqual([
      undefined,
      { accountId: 'a1' },
    ]);
  });

  it('fails only the write the database refuses', async () => {
    const sessions = state.adapterFor('Session');
    const results = await Promise.allSettled([
      sessions.upsert('s1', { uid: 'u1' }, 600),
      sessions.upsert('bad\u0000id', { uid: 'u2' }, 600),
      sessions.upsert('s3', { uid: 'u3' }, 600),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The batch, then each of its rows alone.
    expect(database.statements).toBe(4);
    expect(await sessions.find('s1')).toEqual({ uid: 'u1' });
    expect(await sessions.find('s3')).toEqual({ uid: 'u3' });
  });
});
