import { PGlite } from '@electric-sql/pglite';
import { MirroredSqlProviderState } from '../../lib/oidc-provider/mirrored-sql-provider-state.js';
import { SqlProviderState } from '../../lib/oidc-provider/sql-provider-state.js';
import { PGliteDatabase } from '../../lib/store/postgres/pglite-database.js';
import { describeProviderStateContract } from './provider-state.contract.js';

// One PGlite (it takes seconds to boot), a fresh schema per test.
let pglite: PGlite;
let count = 0;
beforeAll(async () => {
  pglite = await PGlite.create();
}, 120_000);
afterAll(() => pglite.close());

describeProviderStateContract('PGlite', async (clock) => {
  const state = new SqlProviderState(new PGliteDatabase(pglite, false), `s${++count}`, clock);
  await state.migrate();
  return state;
});

describeProviderStateContract('PGlite, mirrored', async (clock) => {
  const state = new MirroredSqlProviderState(
    new PGliteDatabase(pglite, false),
    `s${++count}`,
    clock,
  );
  await state.migrate();
  return state;
});
