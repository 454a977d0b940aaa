import { PGlite } from '@electric-sql/pglite';
import { SqlProviderState } from '../../lib/oidc-provider/sql-provider-state.js';
import { PGliteDatabase } from '../../lib/store/postgres/pglite-database.js';
import { describeProviderStateContract } from './provider-state.contract.js';

// One PGlite (it takes seconds to boot), a fresh schema per test.
let pglite: PGlite;
let count = 0;
beforeAll(async () => {
  pglite = await PGlite.create();
});
afterAll(() => pglite.close());

describeProviderStateContract('PGlite', async (clock) => {
  const state = new SqlProviderState(new PGliteDatabase(pglite, false), `s${++count}`, clock);
  await state.migrate();
  return state;
});
