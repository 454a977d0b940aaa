import { PGlite } from '@electric-sql/pglite';
import { PgPoolDatabase, PGliteDatabase, type SqlDatabase } from '../../../lib/index.js';
import { AccountAuthenticator } from '../../../sample-app/accounts/account-authenticator.js';
import { AccountStore } from '../../../sample-app/accounts/account-store.js';
import { checkPassword, checkUsername } from '../../../sample-app/accounts/account.js';
import { PasswordHasher } from '../../../sample-app/accounts/password-hasher.js';
import { CountingPGliteDatabase, CountingPgDatabase } from '../../support/counting-databases.js';
import { useTestSchemas } from '../../support/postgres.js';

/** The real argon2id hasher, counting what it verifies. */
class CountingHasher extends PasswordHasher {
  verified = 0;

  override async verify(storedHash: string, password: string): Promise<boolean> {
    this.verified += 1;
    return super.verify(storedHash, password);
  }
}

describe('account input rules', () => {
  it('folds usernames to lower case and refuses odd ones', () => {
    expect(checkUsername('  Alice@Example.COM ')).toBe('alice@example.com');
    expect(() => checkUsername('')).toThrow();
    expect(() => checkUsername('a b')).toThrow();
    expect(() => checkUsername('x'.repeat(65))).toThrow();
  });

  it('wants passwords of 12 to 1024 characters', () => {
    expect(() => checkPassword('eleven-char')).toThrow();
    expect(checkPassword('twelve-chars')).toBe('twelve-chars');
    expect(() => checkPassword('x'.repeat(1025))).toThrow();
  });
});

describe('PasswordHasher', () => {
  it('stores argon2id with the stated parameters and verifies only the right password', async () => {
    const hasher = new PasswordHasher();
    const hash = await hasher.hash('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(hash, 'correct horse battery')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse batterY')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
  });
});

function accountStoreSpecs(
  name: string,
  open: () => Promise<SqlDatabase>,
  schema: () => string,
): void {
  describe(`AccountStore on ${name}`, () => {
    let database: SqlDatabase;
    let accounts: AccountStore;
    const hasher = new CountingHasher();

    beforeAll(async () => {
      database = await open();
      accounts = new AccountStore(database, schema());
      expect(await accounts.migrate()).toEqual([1]);
      expect(await accounts.migrate()).toEqual([]);
    });

    afterAll(() => database.close());

    it('creates an account once, finds it, and updates its flags and password', async () => {
      expect(await accounts.create('carol', await hasher.hash('carol-password-1'), false)).toBe(
        true,
      );
      expect(await accounts.create('carol', await hasher.hash('other-password-1'), true)).toBe(
        false,
      );
      const carol = (await accounts.findByUsername('carol'))!;
      expect(carol).toMatchObject({ username: 'carol', administrator: false, disabled: false });
      expect(carol.id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await accounts.findById(carol.id))?.username).toBe('carol');
      expect(await accounts.update('carol', { disabled: true, administrator: true })).toBe(true);
      expect(await accounts.update('nobody', { disabled: true })).toBe(false);
      expect(await accounts.list()).toEqual([
        { id: carol.id, username: 'carol', administrator: true, disabled: true },
      ]);
    });

    it('answers a lookup by id with every change made through the store, at once', async () => {
      await accounts.create('erin', await hasher.hash('erin-password-12'), true);
      const { id } = (await accounts.findByUsername('erin'))!;
      const found = (await accounts.findById(id))!;
      expect(found).toMatchObject({ administrator: true, disabled: false });
      found.disabled = true;
      expect((await accounts.findById(id))?.disabled).toBe(false);
      await accounts.update('erin', { administrator: false });
      expect((await accounts.findById(id))?.administrator).toBe(false);
      const [during] = await Promise.all([
        accounts.findById(id),
        accounts.update('erin', { disabled: true }),
      ]);
      expect(during?.disabled).toBe(false);
      expect((await accounts.findById(id))?.disabled).toBe(true);
    });

    it('remembers one grant per user and client', async () => {
      const { id } = (await accounts.findByUsername('carol'))!;
      await accounts.rememberGrant(id, 'client-1', 'grant-a');
      await accounts.rememberGrant(id, 'client-1', 'grant-b');
      expect(await accounts.rememberedGrant(id, 'client-1')).toBe('grant-b');
      expect(await accounts.rememberedGrant(id, 'client-2')).toBeUndefined();
    });

    it('spends one argon2id verification on every failure: unknown user, wrong password, disabled', async () => {
      await accounts.create('dave', await hasher.hash('dave-password-12'), false);
      const authenticator = new AccountAuthenticator(accounts, hasher);
      const before = hasher.verified;
      expect(await authenticator.authenticate('nobody', 'dave-password-12')).toBeUndefined();
      expect(await authenticator.authenticate('dave', 'wrong-password')).toBeUndefined();
      expect(await authenticator.authenticate('carol', 'carol-password-1')).toBeUndefined();
      expect(hasher.verified - before).toBe(3);
      expect(await authenticator.authenticate(' DAVE ', 'dave-password-12')).toMatchObject({
        username: 'dave',
      });
    });
  });
}

/** Resolves once `check` does (every 10 ms), or fails after 5 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('AccountStore lookups by id', () => {
  it('are remembered on PGlite, where only this process writes the accounts', async () => {
    const database = new CountingPGliteDatabase(await PGlite.create(), true);
    try {
      const accounts = new AccountStore(database, 'public');
      await accounts.migrate();
      await accounts.create('frank', 'hash', false);
      const { id } = (await accounts.findByUsername('frank'))!;
      await accounts.findById(id);
      const before = database.statements;
      expect((await accounts.findById(id))?.username).toBe('frank');
      expect(database.statements).toBe(before);
    } finally {
      await database.close();
    }
  }, 120_000);
});

accountStoreSpecs(
  'PGlite',
  async () => new PGliteDatabase(await PGlite.create(), true),
  () => 'public',
);

describe('on PostgreSQL', () => {
  const schemas = useTestSchemas();
  let schema: string;
  beforeAll(async () => {
    schema = schemas.freshSchema('accounts');
    await schemas.pool().query(`CREATE SCHEMA "${schema}"`);
  });
  accountStoreSpecs(
    'PostgreSQL',
    async () => new PgPoolDatabase(schemas.pool(), false),
    () => schema,
  );

  it("remembers lookups by id only while it hears the accounts command's writes, which it sees within a second", async () => {
    const own = schemas.freshSchema('accounts');
    await schemas.pool().query(`CREATE SCHEMA "${own}"`);
    const database = new CountingPgDatabase(schemas.pool(), false);
    const host = new AccountStore(database, own);
    const command = new AccountStore(new PgPoolDatabase(schemas.pool(), false), own);
    await host.migrate();
    await command.create('grace', 'hash', true);
    const { id } = (await host.findByUsername('grace'))!;

    // Not listening: every lookup asks the server.
    await host.findById(id);
    let before = database.statements;
    expect((await host.findById(id))?.disabled).toBe(false);
    expect(database.statements).toBe(before + 1);

    host.watchChanges();
    try {
      await until(async () => {
        await host.findById(id);
        before = database.statements;
        await host.findById(id);
        return database.statements === before;
      });

      const written = performance.now();
      await command.update('grace', { disabled: true });
      await until(async () => (await host.findById(id))?.disabled === true);
      expect(performance.now() - written).toBeLessThan(1000);
    } finally {
      await host.beforeApplicationShutdown();
    }
    before = database.statements;
    await host.findById(id);
    await host.findById(id);
    expect(database.statements).toBe(before + 2);
  });
});
