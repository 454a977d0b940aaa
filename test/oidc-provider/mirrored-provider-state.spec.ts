import { PGlite } from '@electric-sql/pglite';
import { MirroredSqlProviderState } from '../../lib/oidc-provider/mirrored-sql-provider-state.js';
import { openProviderState } from '../../lib/oidc-provider/open-provider-state.js';
import { ReplayedGrantError } from '../../lib/oidc-provider/replayed-grant.error.js';
import { SqlProviderState } from '../../lib/oidc-provider/sql-provider-state.js';
import { PGliteDatabase } from '../../lib/store/postgres/pglite-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { CountingPGliteDatabase } from '../support/counting-databases.js';
import { testClock, type TestClock } from './provider-state.contract.js';

let pglite: PGlite;
let count = 0;
beforeAll(async () => {
  pglite = await PGlite.create();
}, 120_000);
afterAll(() => pglite.close());

describe('MirroredSqlProviderState', () => {
  let clock: TestClock;
  let database: CountingPGliteDatabase;
  let schema: string;
  let state: MirroredSqlProviderState;

  beforeEach(async () => {
    clock = testClock();
    database = new CountingPGliteDatabase(pglite, false);
    schema = `m${++count}`;
    state = new MirroredSqlProviderState(database, schema, { ...clock, mirrorRecords: 3 });
    await state.migrate();
    database.statements = 0;
  });

  /** What the table itself holds for model/id (bypassing every mirror). */
  async function row(model: string, id: string): Promise<unknown> {
    const { rows } = await pglite.query<{ payload: string; consumed_at: number | null }>(
      `SELECT payload, consumed_at FROM ${schema}.dcr_provider_state WHERE model = $1 AND id = $2`,
      [model, id],
    );
    return rows[0];
  }

  it('answers finds of what it wrote without SQL, a fresh copy each time', async () => {
    const sessions = state.adapterFor('Session');
    const written = { uid: 'u1', accountId: 'alice', nested: { amr: ['pwd'] } };
    await sessions.upsert('s1', written, 600);
    await state.adapterFor('DeviceCode').upsert('d1', { userCode: 'ABCD', grantId: 'g' }, 60);
    expect(database.statements).toBe(2);
    written.nested.amr.push('changed after upsert');

    const found = await sessions.find('s1');
    expect(found).toEqual({ uid: 'u1', accountId: 'alice', nested: { amr: ['pwd'] } });
    (found!.nested as { amr: string[] }).amr.push('changed by the provider');
    expect(await sessions.findByUid('u1')).toEqual({
      uid: 'u1',
      accountId: 'alice',
      nested: { amr: ['pwd'] },
    });
    expect(await state.adapterFor('DeviceCode').findByUserCode('ABCD')).toEqual({
      userCode: 'ABCD',
      grantId: 'g',
    });
    expect(database.statements).toBe(2);
  });

  it('hides a record once it expires, as the table does', async () => {
    const codes = state.adapterFor('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g' }, 10);
    clock.advance(9);
    expect(await codes.find('c1')).toEqual({ grantId: 'g' });
    expect(database.statements).toBe(1);
    clock.advance(1);
    expect(await codes.find('c1')).toBeUndefined();
    expect(state.mirror.size).toBe(0);
  });

  it('answers a consumed record with its consumed time, the SQL UPDATE deciding who wins', async () => {
    const codes = state.adapterFor('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await state.adapterFor('RefreshToken').upsert('r1', { grantId: 'g1' }, 600);
    await state.adapterFor('Grant').upsert('g1', { accountId: 'alice' }, 600);
    clock.advance(5);
    const results = await Promise.allSettled([codes.consume('c1'), codes.consume('c1')]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({
      reason: expect.any(ReplayedGrantError),
    });
    // The loser revoked the grant: gone from the mirror and from the table.
    const before = database.statements;
    expect(await codes.find('c1')).toBeUndefined();
    expect(await state.adapterFor('RefreshToken').find('r1')).toBeUndefined();
    expect(await state.adapterFor('Grant').find('g1')).toBeUndefined();
    expect(database.statements).toBe(before + 3);
    expect(await row('Grant', 'g1')).toBeUndefined();

    await codes.upsert('c2', { grantId: 'g2' }, 60);
    await codes.consume('c2');
    const statements = database.statements;
    expect(await codes.find('c2')).toEqual({ grantId: 'g2', consumed: clock.now() });
    expect(database.statements).toBe(statements);
    await expect(codes.consume('c2')).rejects.toBeInstanceOf(ReplayedGrantError);
  });

  it("removes the grant's mirrored records of the model on a revoke by grant id", async () => {
    const tokens = state.adapterFor('AccessToken');
    await tokens.upsert('a1', { grantId: 'g1' }, 60);
    await tokens.upsert('a2', { grantId: 'g2' }, 60);
    await state.adapterFor('RefreshToken').upsert('r1', { grantId: 'g1' }, 60);
    await tokens.revokeByGrantId('g1');
    expect(await tokens.find('a1')).toBeUndefined();
    expect(await row('AccessToken', 'a1')).toBeUndefined();
    const statements = database.statements;
    expect(await tokens.find('a2')).toEqual({ grantId: 'g2' });
    expect(await state.adapterFor('RefreshToken').find('r1')).toEqual({ grantId: 'g1' });
    expect(database.statements).toBe(statements);
  });

  it('forgets a destroyed record and a replaced uid', async () => {
    const sessions = state.adapterFor('Session');
    await sessions.upsert('s1', { uid: 'u1' }, 60);
    await sessions.upsert('s1', { uid: 'u2' }, 60);
    expect(await sessions.findByUid('u1')).toBeUndefined();
    expect(await sessions.findByUid('u2')).toEqual({ uid: 'u2' });
    await sessions.destroy('s1');
    expect(await sessions.find('s1')).toBeUndefined();
    expect(await sessions.findByUid('u2')).toBeUndefined();
    expect(await row('Session', 's1')).toBeUndefined();
  });

  it('remembers what it read from the table, and holds at most its bound, oldest out', async () => {
    const earlier = new SqlProviderState(database, schema, clock);
    await earlier.adapterFor('Grant').upsert('g0', { accountId: 'alice' }, 600);
    const grants = state.adapterFor('Grant');
    let statements = database.statements;
    expect(await grants.find('g0')).toEqual({ accountId: 'alice' });
    expect(await grants.find('g0')).toEqual({ accountId: 'alice' });
    expect(database.statements).toBe(statements + 1);

    for (const id of ['g1', 'g2', 'g3']) await grants.upsert(id, { id }, 600);
    expect(state.mirror.size).toBe(3);
    statements = database.statements;
    expect(await grants.find('g0')).toEqual({ accountId: 'alice' });
    expect(database.statements).toBe(statements + 1);
    expect(state.mirror.size).toBe(3);
  });

  it('does not remember a read that a write overtook', async () => {
    const earlier = new SqlProviderState(database, schema, clock);
    await earlier.adapterFor('AuthorizationCode').upsert('c1', { grantId: 'g' }, 60);
    const codes = state.adapterFor('AuthorizationCode');
    const [read] = await Promise.all([codes.find('c1'), codes.consume('c1')]);
    expect(read).toEqual({ grantId: 'g' });
    expect(await codes.find('c1')).toEqual({ grantId: 'g', consumed: clock.now() });
  });
});

describe('openProviderState on PGlite', () => {
  it('mirrors the state, one mirror for every state on the same database and schema', async () => {
    const store = new PostgresClientStore(new PGliteDatabase(pglite, false), `o${++count}`);
    await store.migrate();
    const first = await openProviderState(store, { sweepIntervalSeconds: 0 });
    const second = await openProviderState(store, { sweepIntervalSeconds: 0 });
    expect(first).toBeInstanceOf(MirroredSqlProviderState);
    expect((first as MirroredSqlProviderState).mirror).toBe(
      (second as MirroredSqlProviderState).mirror,
    );
    await first.adapterFor('Session').upsert('s', { uid: 'u' }, 60);
    await second.adapterFor('Session').destroy('s');
    expect(await first.adapterFor('Session').find('s')).toBeUndefined();
  });
});
