import { Injectable } from '@nestjs/common';
import type { DcrAuditEvent } from '../../lib/audit/dcr-audit-event.js';
import { DcrAuditSink } from '../../lib/audit/dcr-audit-sink.js';
import { InitialAccessTokenService } from '../../lib/auth/initial-access-token.service.js';
import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS } from '../support/adapters.js';
import { register } from '../support/register.js';
import { useDcrApp } from '../support/suite-app.js';
import { TestIssuer } from '../support/test-issuer.js';

/** Keeps every event it receives (Nest makes the instance, so the list is static). */
@Injectable()
class RecordingAuditSink extends DcrAuditSink {
  static events: DcrAuditEvent[] = [];
  record(event: DcrAuditEvent): void {
    RecordingAuditSink.events.push(event);
  }
}

/** A sink whose store is down: the registration must not notice. */
@Injectable()
class FailingAuditSink extends DcrAuditSink {
  record(): Promise<void> {
    return Promise.reject(new Error('audit store unreachable'));
  }
}

const AUDIENCE = 'https://dcr.example';
const WEB = { redirect_uris: ['https://app.example.com/cb'], client_name: 'Audited app' };
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$/;

/** The events recorded while `action` ran (the sink is called before the answer is sent). */
async function eventsOf(action: () => Promise<unknown>): Promise<DcrAuditEvent[]> {
  const before = RecordingAuditSink.events.length;
  await action();
  return RecordingAuditSink.events.slice(before);
}

async function call(url: string, method: string, token?: string, body?: object) {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

describe.each(ADAPTERS)('audit events (%s)', (adapter) => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.close());
  const { app, url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      publicBaseUrl: 'https://id.example.com',
      registration: {
        mode: 'bearer_or_initial_access_token',
        bearer: { issuer: issuer.url, audience: AUDIENCE },
      },
      auditSink: RecordingAuditSink,
    }),
  );
  /** Every credential the server issued or accepted in this block: none may reach an event. */
  const credentials: string[] = [];
  afterAll(() => {
    const recorded = JSON.stringify(RecordingAuditSink.events);
    for (const credential of credentials) expect(recorded).not.toContain(credential);
    expect(recorded).not.toContain('Audited app'); // no metadata either
  });

  it('records a registration by a bearer caller: issuer, subject, client_id, address, time', async () => {
    const token = await issuer.sign();
    credentials.push(token);
    let res!: Awaited<ReturnType<typeof register>>;
    const events = await eventsOf(async () => {
      res = await register(url(), WEB, `Bearer ${token}`);
    });
    expect(res.status).toBe(201);
    credentials.push(
      res.body.client_secret as string,
      res.body.registration_access_token as string,
    );
    expect(events).toEqual([
      {
        type: 'client.registered',
        time: expect.stringMatching(ISO_TIME),
        clientId: res.body.client_id,
        caller: {
          kind: 'bearer',
          issuer: issuer.url,
          subject: 'ci-pipeline',
          clientId: 'ci-pipeline',
        },
        sourceAddress: expect.stringMatching(LOOPBACK),
        method: 'POST',
      },
    ]);
  });

  it("records a registration with an initial access token by the token's id", async () => {
    const { token, id } = await app().get(InitialAccessTokenService).mint();
    credentials.push(token);
    const events = await eventsOf(() => register(url(), WEB, `Bearer ${token}`));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'client.registered',
      caller: { kind: 'initial_access_token', initialAccessTokenId: id },
    });
  });

  it('records a refused registration with its error code and member', async () => {
    const token = await issuer.sign();
    credentials.push(token);
    const events = await eventsOf(() =>
      register(url(), { ...WEB, 'client_name#ja': 'x'.repeat(300) }, `Bearer ${token}`),
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: 'registration.rejected',
        status: 400,
        error: 'invalid_client_metadata',
        member: 'client_name#ja',
        caller: expect.objectContaining({ kind: 'bearer', subject: 'ci-pipeline' }),
      }),
    ]);
    expect(events[0]).not.toHaveProperty('clientId');
  });

  it('records a body the parser refused', async () => {
    const events = await eventsOf(() => register(url(), '{"client_name":', 'Bearer x'));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'registration.rejected',
        status: 400,
        error: 'invalid_request',
      }),
    ]);
  });

  it('records refused callers: no token, a bad token, a token without the scope', async () => {
    const unscoped = await issuer.sign(issuer.claims({ scope: 'other' }));
    credentials.push(unscoped, 'not-a-real-token');
    const events = await eventsOf(async () => {
      await register(url(), WEB);
      await register(url(), WEB, 'Bearer not-a-real-token');
      await register(url(), WEB, `Bearer ${unscoped}`);
    });
    expect(events.map((e) => [e.type, e.status, e.error])).toEqual([
      ['caller.refused', 401, 'invalid_token'],
      ['caller.refused', 401, 'invalid_token'],
      ['caller.refused', 403, 'insufficient_scope'],
    ]);
    for (const event of events) expect(event.sourceAddress).toMatch(LOOPBACK);
  });

  it('records an RFC 7592 update, a refused management call and a delete', async () => {
    const created = await register(url(), WEB, `Bearer ${await issuer.sign()}`);
    const clientId = created.body.client_id as string;
    const path = `${url()}/${clientId}`;
    const firstToken = created.body.registration_access_token as string;
    credentials.push(created.body.client_secret as string, firstToken);
    const updated = await eventsOf(async () => {
      const res = await call(path, 'PUT', firstToken, { ...WEB, client_id: clientId });
      expect(res.status).toBe(200);
      credentials.push(res.body.registration_access_token as string);
      created.body.registration_access_token = res.body.registration_access_token;
    });
    expect(updated).toEqual([
      expect.objectContaining({
        type: 'client.updated',
        clientId,
        caller: { kind: 'registration_access_token', clientId },
        method: 'PUT',
      }),
    ]);
    const refused = await eventsOf(() => call(path, 'GET', firstToken)); // rotated out
    expect(refused).toEqual([
      expect.objectContaining({ type: 'caller.refused', clientId, status: 401, method: 'GET' }),
    ]);
    expect(refused[0]).not.toHaveProperty('caller');
    const deleted = await eventsOf(async () => {
      const res = await call(path, 'DELETE', created.body.registration_access_token as string);
      expect(res.status).toBe(204);
    });
    expect(deleted).toEqual([
      expect.objectContaining({ type: 'client.deleted', clientId, method: 'DELETE' }),
    ]);
  });
});

describe.each(ADAPTERS)('a failing audit sink (%s)', (adapter) => {
  const { url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      registration: { mode: 'open', rateLimit: false },
      auditSink: FailingAuditSink,
    }),
  );

  it('never changes the answer', async () => {
    expect((await register(url(), WEB)).status).toBe(201);
    expect((await register(url(), { ...WEB, client_name: 5 })).status).toBe(400);
  });
});
