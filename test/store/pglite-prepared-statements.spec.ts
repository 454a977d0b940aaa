import { PGlite } from '@electric-sql/pglite';
import { PGliteDatabase } from '../../lib/store/postgres/pglite-database.js';

// Named prepared statements on a real PGlite, against PGlite's own query() as
// the reference for what rows look like.

const PREPARED = { prepare: true };

describe('PGliteDatabase: prepared statements', () => {
  let pglite: PGlite;
  let database: PGliteDatabase;

  beforeAll(async () => {
    pglite = await PGlite.create();
    database = new PGliteDatabase(pglite, false);
  });
  afterAll(() => pglite.close());

  beforeEach(async () => {
    await pglite.exec(`DEALLOCATE ALL;
      DROP TABLE IF EXISTS items;
      CREATE TABLE items (id text PRIMARY KEY, n int8 NOT NULL, tags text[]);`);
  });

  async function preparedTexts(): Promise<string[]> {
    const { rows } = await pglite.query<{ statement: string }>(
      'SELECT statement FROM pg_prepared_statements ORDER BY prepare_time',
    );
    return rows.map((row) => row.statement);
  }

  it('answers the rows query() answers, with the same type parsers', async () => {
    const sql = `SELECT $1::text AS t, $2::int8 AS big, $3::int4 AS small, $4::boolean AS b,
      $5::jsonb AS j, $6::timestamptz AS at, $7::text[] AS list, $8::text AS missing,
      $9::numeric AS amount, 'é ✓'::text AS unicode`;
    const params = [
      'it\'s "quoted"',
      '9007199254740993',
      -42,
      true,
      { nested: [1, 'two', null] },
      new Date('2026-12-02T10:20:30.456Z'),
      ['a', 'b,c', 'd"e', null],
      null,
      '12.50',
    ];
    const expected = await pglite.query(sql, params);
    const prepared = await database.query(sql, params, PREPARED);
    expect(prepared.rows).toEqual(expected.rows);
    expect(prepared.rows[0]).toMatchObject({ small: -42, b: true, missing: null, unicode: 'é ✓' });
  });

  it('parses a text once and runs it again by name', async () => {
    const insert = 'INSERT INTO items (id, n) VALUES ($1, $2) RETURNING id, n';
    for (const id of ['a', 'b', 'c']) {
      expect((await database.query(insert, [id, 7], PREPARED)).rows).toEqual([{ id, n: 7 }]);
    }
    expect(await preparedTexts()).toEqual([insert]);
    const { rows } = await database.query('SELECT count(*)::int AS count FROM items', []);
    expect(rows).toEqual([{ count: 3 }]);
    // Without `prepare`, PGlite's own query(): nothing more is kept.
    expect(await preparedTexts()).toEqual([insert]);
  });

  it('rejects with the database error, writes nothing, and the next statement runs', async () => {
    const insert = 'INSERT INTO items (id, n) VALUES ($1, $2)';
    await database.query(insert, ['dup', 1], PREPARED);
    await expect(database.query(insert, ['dup', 2], PREPARED)).rejects.toMatchObject({
      code: '23505',
      message: expect.stringContaining('duplicate key'),
    });
    await expect(database.query(insert, ['null-n', null], PREPARED)).rejects.toMatchObject({
      code: '23502',
    });
    await expect(database.query('SELECT nope FROM items', [], PREPARED)).rejects.toMatchObject({
      code: '42703',
    });
    const { rows } = await database.query('SELECT id, n FROM items ORDER BY id', [], PREPARED);
    expect(rows).toEqual([{ id: 'dup', n: 1 }]);
  });

  it('waits for a transaction in progress, and sees what it committed', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedInTransaction = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = database.transaction(async (tx) => {
      await tx.query('INSERT INTO items (id, n) VALUES ($1, $2)', ['tx', 5]);
      inserted();
      await held;
    });
    await insertedInTransaction;
    let answered = false;
    const read = database
      .query<{ n: number }>('SELECT n FROM items WHERE id = $1', ['tx'], PREPARED)
      .then((result) => {
        answered = true;
        return result.rows;
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    release();
    await transaction;
    expect(await read).toEqual([{ n: 5 }]);
  });

  it('prepares again when its statements were deallocated', async () => {
    const select = 'SELECT count(*)::int AS count FROM items WHERE n > $1';
    expect((await database.query(select, [0], PREPARED)).rows).toEqual([{ count: 0 }]);
    await pglite.exec('DEALLOCATE ALL');
    expect((await database.query(select, [0], PREPARED)).rows).toEqual([{ count: 0 }]);
    expect(await preparedTexts()).toEqual([select]);
  });

  it('prepares again when a schema change altered its result, and closes the old one', async () => {
    const select = 'SELECT * FROM items ORDER BY id';
    await database.query('INSERT INTO items (id, n) VALUES ($1, $2)', ['x', 1], PREPARED);
    expect((await database.query(select, [], PREPARED)).rows).toEqual([
      { id: 'x', n: 1, tags: null },
    ]);
    await pglite.exec(`ALTER TABLE items ADD COLUMN note text DEFAULT 'new'`);
    expect((await database.query(select, [], PREPARED)).rows).toEqual([
      { id: 'x', n: 1, tags: null, note: 'new' },
    ]);
    // The stale statement's name is closed with the next Parse.
    await database.query('SELECT 1 AS one', [], PREPARED);
    const texts = await preparedTexts();
    expect(texts.filter((text) => text === select)).toHaveLength(1);
  });

  it('keeps at most 64 statements, and an evicted one still answers', async () => {
    for (let i = 0; i < 70; i++) {
      expect((await database.query(`SELECT ${i}::int AS i`, [], PREPARED)).rows).toEqual([{ i }]);
    }
    // The 70th Parse closed the names evicted before it: at most one is still open.
    expect((await preparedTexts()).length).toBeLessThanOrEqual(65);
    expect((await database.query('SELECT 0::int AS i', [], PREPARED)).rows).toEqual([{ i: 0 }]);
    expect((await preparedTexts()).length).toBeLessThanOrEqual(65);
  });

  it('shares the names of one PGlite between the databases over it', async () => {
    const other = new PGliteDatabase(pglite, false);
    const first = 'SELECT $1::text AS who';
    const second = 'SELECT $1::int AS n';
    expect((await database.query(first, ['one'], PREPARED)).rows).toEqual([{ who: 'one' }]);
    expect((await other.query(second, [2], PREPARED)).rows).toEqual([{ n: 2 }]);
    expect((await other.query(first, ['two'], PREPARED)).rows).toEqual([{ who: 'two' }]);
    expect(await preparedTexts()).toEqual([first, second]);
  });

  it('refuses once the PGlite is closed', async () => {
    const closing = await PGlite.create();
    const closed = new PGliteDatabase(closing, true);
    expect((await closed.query('SELECT 1 AS one', [], PREPARED)).rows).toEqual([{ one: 1 }]);
    await closed.close();
    await expect(closed.query('SELECT 1 AS one', [], PREPARED)).rejects.toThrow(/closed/);
  });
});
