import { MirroredSqlProviderState } from '../../lib/oidc-provider/mirrored-sql-provider-state.js';
import { openProviderState } from '../../lib/oidc-provider/open-provider-state.js';
import { SqlProviderState } from '../../lib/oidc-provider/sql-provider-state.js';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import type { SqlQueryOptions, SqlResult } from '../../lib/store/postgres/sql-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { useTestSchemas } from '../support/postgres.js';
import { describeProviderStateContract, testClock } from './provider-state.contract.js';

/** The real server, counting the statements sent to it. */
class CountingDatabase extends PgPoolDatabase {
  statements = 0;

  override query<Row>(
    sql: string,
    params?: unknown[],
    options?: SqlQueryOptions,
  ): Promise<SqlResult<Row>> {
    this.statements++;
    return super.query<Row>(sql, params, options);
  }
}

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
    const database = new CountingDatabase(pool(), false);
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
