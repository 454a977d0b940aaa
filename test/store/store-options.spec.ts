import { DcrConfigurationError } from '../../lib/errors/dcr-configuration.error.js';
import { resolveStoreOptions, type DcrStoreModuleOptions } from '../../lib/store/store.options.js';
import { testPool } from '../support/postgres.js';

function optionNamedBy(options: unknown, customStore = false): string | undefined {
  try {
    resolveStoreOptions(options as DcrStoreModuleOptions, customStore);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DcrConfigurationError);
    return (error as DcrConfigurationError).option;
  }
}

describe('store options', () => {
  it('defaults to the in-memory store, clients never idle out', () => {
    expect(resolveStoreOptions(undefined, false)).toEqual({
      storage: { kind: 'memory' },
      clientMaxIdleSeconds: undefined,
    });
  });

  it('defaults the schema to public and keeps what it is given', () => {
    expect(resolveStoreOptions({ storage: { kind: 'pglite' } }, false).storage).toEqual({
      kind: 'pglite',
      dataDir: undefined,
      schema: 'public',
    });
    expect(
      resolveStoreOptions(
        {
          storage: { kind: 'postgres', connectionString: 'postgres://h/db', schema: 'dcr' },
          clientMaxIdleSeconds: 86400,
        },
        false,
      ),
    ).toEqual({
      storage: {
        kind: 'postgres',
        connectionString: 'postgres://h/db',
        schema: 'dcr',
        timeoutMs: 5000,
        maxConnections: 10,
      },
      clientMaxIdleSeconds: 86400,
    });
  });

  it('accepts a pg.Pool the user owns', async () => {
    const pool = testPool();
    try {
      const resolved = resolveStoreOptions({ storage: { kind: 'postgres', pool } }, false);
      expect(resolved.storage).toEqual({ kind: 'postgres', pool, schema: 'public' });
    } finally {
      await pool.end();
    }
  });

  it.each([
    [{ storage: 'postgres' }, 'storage'],
    [{ storage: { kind: 'mysql' } }, 'storage.kind'],
    [{ storage: { kind: 'postgres' } }, 'storage'],
    [{ storage: { kind: 'postgres', connectionString: 'x', pool: {} } }, 'storage'],
    [{ storage: { kind: 'postgres', connectionString: '' } }, 'storage.connectionString'],
    [{ storage: { kind: 'postgres', connectionString: undefined, pool: {} } }, 'storage.pool'],
    [
      { storage: { kind: 'postgres', connectionString: 'x', schema: 'a"; drop' } },
      'storage.schema',
    ],
    [{ storage: { kind: 'pglite', schema: '' } }, 'storage.schema'],
    [{ storage: { kind: 'pglite', dataDir: '' } }, 'storage.dataDir'],
    [{ storage: { kind: 'postgres', connectionString: 'x', timeoutMs: 0 } }, 'storage.timeoutMs'],
    [{ storage: { kind: 'postgres', pool: {}, timeoutMs: 100 } }, 'storage.timeoutMs'],
    [
      { storage: { kind: 'postgres', connectionString: 'x', maxConnections: 0 } },
      'storage.maxConnections',
    ],
    [{ storage: { kind: 'postgres', pool: {}, maxConnections: 5 } }, 'storage.maxConnections'],
    [{ clientMaxIdleSeconds: 0 }, 'clientMaxIdleSeconds'],
    [{ clientMaxIdleSeconds: 1.5 }, 'clientMaxIdleSeconds'],
  ])('refuses %j, naming %s', (options, option) => {
    expect(optionNamedBy(options)).toBe(option);
  });

  it('refuses storage next to a custom store class', () => {
    expect(optionNamedBy({ storage: { kind: 'memory' } }, true)).toBe('storage');
    expect(optionNamedBy({}, true)).toBeUndefined();
  });
});
