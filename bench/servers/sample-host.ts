import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { ServerParams } from '../scenario.js';
import { BENCH_DATABASE_URL } from './bench-database.js';

/** The host as `npm start` builds it (npm run bench compiles sample-app first). */
const HOST_MAIN = fileURLToPath(
  new URL('../../../sample-app/dist/sample-app/main.js', import.meta.url),
);
export const BOOTSTRAP_ID = 'bench-bootstrap';
export const BOOTSTRAP_SECRET = 'bench-bootstrap-secret-0123456789abcdef-0123';
/**
 * The database the PostgreSQL host rows use, made afresh for each row (the
 * host uses its `public`); BENCH_HOST_DATABASE names another, so that runs
 * from two checkouts on one server do not drop each other's.
 */
const HOST_DATABASE = process.env.BENCH_HOST_DATABASE ?? 'dcr_bench_host';
if (!/^[a-z_][a-z0-9_]*$/.test(HOST_DATABASE)) {
  throw new Error('BENCH_HOST_DATABASE must be a lower-case SQL identifier');
}

export interface RunningHost {
  url: string;
  pid: number;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fresh, empty database for the host rows on the bench's PostgreSQL server. */
export async function freshHostDatabase(): Promise<string> {
  const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${HOST_DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${HOST_DATABASE}`);
  } finally {
    await client.end();
  }
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${HOST_DATABASE}`;
  return url.href;
}

/** A data directory for the hosts of one row (shared: they must share the provider's keys). */
export async function hostDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nestjs-dcr-bench-host-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** This process's node flags for the host: under BENCH_CPU_PROF, a profile of its own. */
function hostExecArgv(port: number): string[] {
  return process.execArgv.map((flag) =>
    flag.startsWith('--cpu-prof-name=')
      ? flag.replace(/\.cpuprofile$/, `.host-${port}.cpuprofile`)
      : flag,
  );
}

/**
 * Starts the real host (sample-app) as its own process, the way a user runs
 * it, and waits for /health. It is stopped (SIGTERM) when this process exits.
 */
export async function startSampleHost(env: Record<string, string>): Promise<RunningHost> {
  const port = await freePort();
  const child = spawn(process.execPath, [...hostExecArgv(port), HOST_MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DCR_BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID,
      DCR_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  process.on('exit', () => child.kill('SIGTERM'));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the host exited at start-up:\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`the host did not answer /health:\n${stderr}`);
    const healthy = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { url, pid: child.pid as number };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The hosts of one row. params.store `pglite` (default) or `postgres`;
 * params.instances (PostgreSQL only) how many hosts; `env` more settings.
 */
export async function startHosts(
  params: ServerParams,
  env: Record<string, string> = {},
): Promise<RunningHost[]> {
  const dataDir = await hostDataDir();
  const instances = Number(params.instances ?? '1');
  if (params.store !== 'postgres') {
    if (instances !== 1) throw new Error('PGlite serves one process only');
    return [await startSampleHost({ ...env, DCR_DATA_DIR: dataDir })];
  }
  const shared = { ...env, DCR_DATA_DIR: dataDir, DATABASE_URL: await freshHostDatabase() };
  // The first creates the keys and migrates; the others then start beside it.
  const first = await startSampleHost(shared);
  const others = await Promise.all(
    Array.from({ length: instances - 1 }, () => startSampleHost(shared)),
  );
  return [first, ...others];
}

/** A client_credentials token of the bootstrap client, which may register clients. */
export async function bootstrapToken(host: RunningHost): Promise<string> {
  const response = await fetch(`${host.url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${BOOTSTRAP_ID}:${BOOTSTRAP_SECRET}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials&scope=dcr.register',
  });
  if (!response.ok) throw new Error(`bootstrap token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** What the token rows register, and the registration row posts: a machine client. */
export const MACHINE_CLIENT_BODY = JSON.stringify({
  client_name: 'Benchmark machine client',
  grant_types: ['client_credentials'],
  response_types: [],
  token_endpoint_auth_method: 'client_secret_basic',
});

/** Registers a client through /connect/dcr, as a user would (by default a machine client). */
export async function registerClient(
  host: RunningHost,
  bearer: string,
  body = MACHINE_CLIENT_BODY,
): Promise<{ clientId: string; clientSecret: string }> {
  const response = await fetch(`${host.url}/connect/dcr`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body,
  });
  if (response.status !== 201) {
    throw new Error(`registration: ${response.status} ${await response.text()}`);
  }
  const { client_id, client_secret } = (await response.json()) as {
    client_id: string;
    client_secret: string;
  };
  return { clientId: client_id, clientSecret: client_secret };
}
