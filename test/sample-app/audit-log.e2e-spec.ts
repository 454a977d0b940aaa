import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import type { DcrAuditEvent } from '../../lib/index.js';
import { buildHost, freePort, startHost, type Host } from './host.js';
import { providerClient, type Registration } from './provider-client.js';

const BOOTSTRAP_ID = 'audit-bootstrap';
const BOOTSTRAP_SECRET = 'audit-e2e-bootstrap-secret-0123456789abcdef';

async function send(url: string, method: string, token: string, body?: object) {
  return fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body && { 'content-type': 'application/json' }),
    },
    body: body && JSON.stringify(body),
  });
}

/** The host's audit lines: JSON log lines with the DcrAudit context, their message an event. */
function auditEvents(output: string): DcrAuditEvent[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { context?: string; message?: unknown })
    .filter((entry) => entry.context === 'DcrAudit')
    .map((entry) => JSON.parse(String(entry.message)) as DcrAuditEvent);
}

beforeAll(() => buildHost(), 60_000);

/**
 * The whole story at the host, as an operator runs it: a bootstrap token, a
 * registration, the client's own token, an RFC 7592 update and a delete. The
 * host's output then holds an audit line for each step and none of the secrets.
 */
describe('sample-app host audit log', () => {
  let dataDir: string;
  let host: Host;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-audit-'));
    host = await startHost({
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DCR_DATA_DIR: dataDir,
      DCR_BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID,
      DCR_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
    });
  }, 60_000);
  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs an audit line for each step and none of the secrets or tokens it issued', async () => {
    const issued: string[] = [BOOTSTRAP_SECRET];
    const bootstrap = await oidc.clientCredentialsGrant(
      await providerClient(host, BOOTSTRAP_ID, BOOTSTRAP_SECRET),
      { scope: 'dcr.register' },
    );
    issued.push(bootstrap.access_token);

    const metadata = {
      client_name: 'audited machine client',
      grant_types: ['client_credentials'],
      response_types: [],
    };
    const created = await send(`${host.url}/connect/dcr`, 'POST', bootstrap.access_token, metadata);
    expect(created.status).toBe(201);
    const registration = (await created.json()) as Registration;
    issued.push(registration.client_secret, registration.registration_access_token);

    const client = await providerClient(host, registration.client_id, registration.client_secret);
    issued.push((await oidc.clientCredentialsGrant(client)).access_token);

    const updated = await send(
      registration.registration_client_uri,
      'PUT',
      registration.registration_access_token,
      { ...metadata, client_id: registration.client_id, client_name: 'renamed machine client' },
    );
    expect(updated.status).toBe(200);
    const rotated = ((await updated.json()) as Registration).registration_access_token;
    expect(rotated).not.toBe(registration.registration_access_token);
    issued.push(rotated);

    // The rotated-out token is refused: a caller.refused line for this client.
    const stale = await send(
      registration.registration_client_uri,
      'GET',
      registration.registration_access_token,
    );
    expect(stale.status).toBe(401);

    const deleted = await send(registration.registration_client_uri, 'DELETE', rotated);
    expect(deleted.status).toBe(204);

    const output = host.output();
    for (const value of issued) expect(output).not.toContain(value);

    const events = auditEvents(output).filter((e) => e.clientId === registration.client_id);
    expect(events.map((e) => e.type)).toEqual([
      'client.registered',
      'client.updated',
      'caller.refused',
      'client.deleted',
    ]);
    expect(events[0]).toMatchObject({
      method: 'POST',
      caller: { kind: 'bearer', issuer: `${host.url}/oidc`, clientId: BOOTSTRAP_ID },
      sourceAddress: expect.stringMatching(/127\.0\.0\.1$/),
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(events[1]!.caller).toEqual({
      kind: 'registration_access_token',
      clientId: registration.client_id,
    });
    expect(events[2]).toMatchObject({ status: 401, error: 'invalid_token', method: 'GET' });
    // No metadata either: neither name the client had is in an audit line.
    expect(JSON.stringify(events)).not.toMatch(/machine client/);
  });
});
