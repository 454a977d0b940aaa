import { SqlProviderState } from '../../lib/oidc-provider/sql-provider-state.js';
import { PgPoolDatabase } from '../../lib/store/postgres/pg-pool-database.js';
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
