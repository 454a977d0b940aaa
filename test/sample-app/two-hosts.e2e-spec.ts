import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { buildHost, freePort, startHost, type Host } from './host.js';

const BOOTSTRAP_ID = 'two-hosts-bootstrap';
const BOOTSTRAP_SECRET = 'two-hosts-bootstrap-secret-0123456789abcdef';

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** A client_credentials request at `host`'s token endpoint: its status and OAuth error. */
async function tokenRequest(
  host: Host,
  id: string,
  secret: string,
  scope?: string,
): Promise<{ status: number; body: { access_token?: string; error?: string } }> {
  const response = await fetch(`${host.url}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: basic(id, secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `grant_type=client_credentials${scope ? `&scope=${scope}` : ''}`,
  });
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

/** Runs `statement` on the server's maintenance connection (databases can't be made in a transaction). */
async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

beforeAll(() => buildHost(), 60_000);

/**
 * Two host processes on one PostgreSQL database (the host keeps its tables in
 * `public`, so the test makes a database of its own): what one instance
 * changes, the other's cached client lookups must see within a second.
 */
describe('two hosts on one PostgreSQL database', () => {
  const database = `dcr_test_hosts_${process.pid}_${randomBytes(4).toString('hex')}`;
  let dataDir: string;
  let hostA: Host;
  let hostB: Host;

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    // One data directory: the instances share the provider's keys, as behind a load balancer.
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-two-hosts-'));
    const env = {
      HOST: '127.0.0.1',
      DATABASE_URL: url.href,
      DCR_DATA_DIR: dataDir,
      DCR_BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID,
      DCR_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
    };
    hostA = await startHost({ ...env, PORT: String(await freePort()) });
    hostB = await startHost({ ...env, PORT: String(await freePort()) });
  }, 90_000);

  afterAll(async () => {
    await hostA?.stop();
    await hostB?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('refuses at one host, within a second, a client deleted at the other', async () => {
    const bearer = (await tokenRequest(hostA, BOOTSTRAP_ID, BOOTSTRAP_SECRET, 'dcr.register')).body
      .access_token;
    const registered = await fetch(`${hostA.url}/connect/dcr`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'two hosts',
        grant_types: ['client_credentials'],
        response_types: [],
      }),
    });
    expect(registered.status).toBe(201);
    const client = (await registered.json()) as {
      client_id: string;
      client_secret: string;
      registration_access_token: string;
      registration_client_uri: string;
    };
    // Used at B, so B's cache holds it.
    for (let n = 0; n < 5; n++) {
      expect((await tokenRequest(hostB, client.client_id, client.client_secret)).status).toBe(200);
    }

    const deleted = await fetch(client.registration_client_uri, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${client.registration_access_token}` },
    });
    expect(deleted.status).toBe(204);
    const started = performance.now();
    for (;;) {
      const answer = await tokenRequest(hostB, client.client_id, client.client_secret);
      if (answer.status === 401) {
        expect(answer.body.error).toBe('invalid_client');
        break;
      }
      expect(answer.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1_000);
    // The figure the issue asks for (how long B still served the deleted client).
    console.log(`deleted at A, refused at B after ${elapsed.toFixed(1)} ms`);
  });

  it('takes a re-keyed bootstrap client at the other host: new secret accepted, old refused', async () => {
    // The bootstrap client is rewritten at every start: restarting A with a new secret re-keys it.
    const newSecret = 'two-hosts-bootstrap-secret-rotated-0123456789';
    expect((await tokenRequest(hostB, BOOTSTRAP_ID, BOOTSTRAP_SECRET)).status).toBe(200);
    const env = {
      HOST: '127.0.0.1',
      DATABASE_URL: new URL(`/${database}`, TEST_DATABASE_URL).href,
      DCR_DATA_DIR: dataDir,
      DCR_BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID,
      DCR_BOOTSTRAP_CLIENT_SECRET: newSecret,
    };
    await hostA.stop();
    hostA = await startHost({ ...env, PORT: String(await freePort()) });
    const started = performance.now();
    while ((await tokenRequest(hostB, BOOTSTRAP_ID, newSecret)).status !== 200) {
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    const old = await tokenRequest(hostB, BOOTSTRAP_ID, BOOTSTRAP_SECRET);
    expect(old.status).toBe(401);
    expect(old.body.error).toBe('invalid_client');
  }, 60_000);
});
