import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { hashSecret } from '../../lib/crypto/secrets.js';
import { DcrModule } from '../../lib/dcr.module.js';
import { DcrConfigurationError } from '../../lib/errors/dcr-configuration.error.js';
import { ClientStore } from '../../lib/store/client-store.js';
import { StoreUnavailableError } from '../../lib/store/store.errors.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { TEST_DATABASE_URL, testPool, useTestSchemas } from '../support/postgres.js';
import { register } from '../support/register.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

describe.each(ADAPTERS)('choosing a store (%s)', (adapter) => {
  const { pool, freshSchema } = useTestSchemas();

  async function connectionsNamed(name: string): Promise<number> {
    const { rows } = await pool().query<{ n: number }>(
      'SELECT count(*)::integer AS n FROM pg_stat_activity WHERE application_name = $1',
      [name],
    );
    return rows[0].n;
  }

  it('uses PostgreSQL from a connection string the async factory supplies, and ends its pool on shutdown', async () => {
    const schema = freshSchema('wiring');
    const applicationName = `dcr_${schema}`;
    const app = await startApp(
      adapter,
      DcrModule.forRootAsync({
        useFactory: async () => ({
          registration: OPEN_REGISTRATION,
          storage: {
            kind: 'postgres' as const,
            connectionString: `${TEST_DATABASE_URL}?application_name=${applicationName}`,
            schema,
          },
        }),
      }),
    );
    let closed = false;
    try {
      const { status, body } = await register((await baseUrl(app)) + '/connect/dcr');
      expect(status).toBe(201);
      const { rows } = await pool().query(
        `SELECT client_id, secret_hash, metadata FROM "${schema}".dcr_clients`,
      );
      expect(rows).toEqual([
        {
          client_id: body.client_id,
          secret_hash: hashSecret(body.client_secret as string),
          metadata: expect.objectContaining({ client_name: 'Test client' }),
        },
      ]);
      expect(await connectionsNamed(applicationName)).toBeGreaterThan(0);
      const store = app.get(ClientStore);
      await app.close();
      closed = true;
      // Its own pool is ended: the store can no longer reach the database.
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      if (!closed) await app.close();
    }
  });

  it('uses a pool the user owns and leaves it open on shutdown', async () => {
    const schema = freshSchema('ownpool');
    const own = testPool();
    try {
      const app = await startApp(
        adapter,
        DcrModule.forRoot({
          registration: OPEN_REGISTRATION,
          storage: { kind: 'postgres', pool: own, schema },
        }),
      );
      const { status, body } = await register((await baseUrl(app)) + '/connect/dcr');
      expect(status).toBe(201);
      expect(await app.get(ClientStore).findById(body.client_id as string)).toBeDefined();
      await app.close();
      const { rows } = await own.query(
        `SELECT count(*)::integer AS n FROM "${schema}".dcr_clients`,
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await own.end();
    }
  });

  it('keeps clients in an embedded PGlite data directory across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcr-wiring-'));
    const module = () =>
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        storage: { kind: 'pglite', dataDir: dir },
      });
    let app: INestApplication | undefined;
    try {
      app = await startApp(adapter, module());
      const { status, body } = await register((await baseUrl(app)) + '/connect/dcr');
      expect(status).toBe(201);
      await app.close();
      app = await startApp(adapter, module());
      const kept = await app.get(ClientStore).findById(body.client_id as string);
      expect(kept?.metadata.client_name).toBe('Test client');
    } finally {
      await app?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails to start on a bad storage option, naming it', async () => {
    const error = await startApp(
      adapter,
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        storage: { kind: 'postgres', connectionString: '' },
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DcrConfigurationError);
    expect((error as DcrConfigurationError).option).toBe('storage.connectionString');
  });

  it('fails to start when the database is out of reach', async () => {
    const error = await startApp(
      adapter,
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        storage: { kind: 'postgres', connectionString: 'postgres://postgres@127.0.0.1:1/test' },
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });
});
