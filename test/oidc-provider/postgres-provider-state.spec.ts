import { MirroredSqlProviderState } from '../../lib/oidc-provider/mirrored-sql-provider-state.js';
import { openProviderState } from '../../lib/oidc-provider/open-provider-state.js';
import { SqlProviderState } from '../../lib/oidc-provider/sql-provider-state.js';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
import { PostgresClientStore } from '../../lib/store/postgres/postgres-client-store.js';
import { useTestSchemas } from '../support/postgres.js';
import { describeProviderStateContract } from './provider-state.contract.js';

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
