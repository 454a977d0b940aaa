import { deflateSync, gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { Controller, Module, Post, Body } from '@nestjs/common';
import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

/** A route of the host's own, to show that its error handling is left alone. */
@Controller('other')
class OtherController {
  @Post()
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({
  imports: [DcrModule.forRoot({ registration: OPEN_REGISTRATION })],
  controllers: [OtherController],
})
class HostModule {}

async function post(url: string, contentType: string, body: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
}

describe.each(ADAPTERS)('registration request body (%s)', (adapter) => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    app = await startApp(adapter, HostModule);
    base = await baseUrl(app);
  });
  afterAll(() => app.close());

  it.each([
    ['malformed JSON', 'application/json', '{"redirect_uris":', 400],
    ['a JSON array', 'application/json', '[]', 400],
    ['a JSON string', 'application/json', '"text"', 400],
    ['JSON null', 'application/json', 'null', 400],
    ['a form', 'application/x-www-form-urlencoded', 'redirect_uris=https%3A%2F%2Fa.example', 415],
    ['plain text', 'text/plain', '{}', 415],
    [
      'a body over 64 KiB',
      'application/json',
      JSON.stringify({ client_name: 'x'.repeat(70_000) }),
      413,
    ],
    [
      'a body over the host parser limit',
      'application/json',
      JSON.stringify({ client_name: 'x'.repeat(2_000_000) }),
      413,
    ],
  ])('refuses %s with an RFC error', async (_name, contentType, body, status) => {
    const res = await post(`${base}/connect/dcr`, contentType, body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const error = (await res.json()) as Record<string, unknown>;
    expect(error).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });

  const REGISTRATION = JSON.stringify({ redirect_uris: ['https://a.example/cb'] });
  /** Inflates to far more than maxBodyBytes and the host parser's limit: a zip bomb in small. */
  const BOMB = gzipSync(JSON.stringify({ client_name: 'x'.repeat(5_000_000) }));
  it.each([
    ['a gzip body', 'gzip', gzipSync(REGISTRATION)],
    ['a deflate body', 'deflate', deflateSync(REGISTRATION)],
    ['a body that says gzip but is not', 'gzip', Buffer.from(REGISTRATION)],
    ['a body that says deflate but is not', 'deflate', Buffer.from('not deflate')],
    ['a brotli body', 'br', Buffer.from(REGISTRATION)],
    ['an unknown encoding', 'x-unknown', Buffer.from(REGISTRATION)],
    ['a gzip body that inflates past every limit', 'gzip', BOMB],
    ['two encodings', 'gzip, identity', gzipSync(REGISTRATION)],
  ])('refuses %s with 415 and an RFC error', async (_name, encoding, body) => {
    expect(BOMB.length).toBeLessThan(64 * 1024);
    for (const path of ['/connect/dcr', '/connect/dcr/some-client']) {
      const res = await fetch(`${base}${path}`, {
        method: path === '/connect/dcr' ? 'POST' : 'PUT',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body,
      });
      const error = (await res.json()) as Record<string, unknown>;
      if (path === '/connect/dcr') {
        expect(res.status).toBe(415);
        expect(error).toEqual({
          error: 'invalid_request',
          error_description: expect.stringContaining('content-encoded'),
        });
      } else {
        // Management is off here: whatever the answer, it is an RFC error body.
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(typeof error.error).toBe('string');
      }
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('accepts Content-Encoding: identity', async () => {
    const res = await fetch(`${base}/connect/dcr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
      body: REGISTRATION,
    });
    expect(res.status).toBe(201);
  });

  it('accepts application/json with a charset parameter', async () => {
    const res = await post(
      `${base}/connect/dcr`,
      'application/json; charset=utf-8',
      JSON.stringify({ redirect_uris: ['https://a.example/cb'] }),
    );
    expect(res.status).toBe(201);
  });

  it("leaves the host's other routes to the host's error handling", async () => {
    const res = await post(`${base}/other`, 'application/json', '{"a":');
    expect(res.status).toBe(400);
    const error = (await res.json()) as Record<string, unknown>;
    expect(error.error).not.toBe('invalid_request');
    expect(error.statusCode).toBe(400);
  });
});
