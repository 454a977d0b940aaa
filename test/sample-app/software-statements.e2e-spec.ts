import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJwksServer, type JwksServer } from '../software-statement/jwks-server.js';
import {
  generateSigningKey,
  signStatement,
  type SigningKey,
} from '../software-statement/signing-keys.js';
import { buildHost, freePort, startHost, type Host } from './host.js';

const ISSUER = 'https://software.example.com';

// Built once, as `npm start` does, then started as a child process the way a user runs it.
beforeAll(() => buildHost(), 60_000);

describe('sample-app host with a trusted software statement issuer', () => {
  let dataDir: string;
  let jwks: JwksServer;
  let key: SigningKey;
  let host: Host;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-sample-ss-'));
    key = await generateSigningKey('ES256', 'statement-key');
    jwks = await startJwksServer([key.publicJwk]);
    host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_REGISTRATION: 'open',
      DCR_SOFTWARE_STATEMENT_ISSUER: ISSUER,
      DCR_SOFTWARE_STATEMENT_JWKS_URI: jwks.jwksUri,
      DCR_SOFTWARE_STATEMENT_REQUIRED: 'true',
    });
  }, 60_000);

  afterAll(async () => {
    await host?.stop();
    await jwks?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function register(body: Record<string, unknown>) {
    const res = await fetch(`${host.url}/connect/dcr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const client = { client_name: 'from the body', grant_types: ['client_credentials'] };

  it('registers with a verified statement, whose claims win and which is echoed', async () => {
    const statement = await signStatement(key, {
      iss: ISSUER,
      software_id: 'com.example.billing',
      client_name: 'Billing (vouched)',
    });
    const res = await register({ ...client, software_statement: statement });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      client_name: 'Billing (vouched)',
      software_id: 'com.example.billing',
      software_statement: statement,
    });
  });

  it('refuses a registration without a statement (DCR_SOFTWARE_STATEMENT_REQUIRED)', async () => {
    const res = await register(client);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_software_statement');
  });

  it("applies the host's own rule, given through DI: a statement must name its software", async () => {
    const statement = await signStatement(key, { iss: ISSUER, client_name: 'anonymous software' });
    const res = await register({ ...client, software_statement: statement });
    expect(res).toEqual({
      status: 400,
      body: {
        error: 'invalid_software_statement',
        error_description: 'the software statement must name a software_id',
      },
    });
  });

  it('refuses a statement from another issuer', async () => {
    const statement = await signStatement(key, {
      iss: 'https://other.example.com',
      software_id: 'com.example.billing',
    });
    const res = await register({ ...client, software_statement: statement });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unapproved_software_statement');
  });
});
