import type { INestApplication } from '@nestjs/common';
import { DcrModule } from '../../lib/dcr.module.js';
import type { DcrModuleOptions } from '../../lib/dcr.options.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

const ORIGIN = 'https://app.example.com';

describe.each(ADAPTERS)('CORS on the module routes (%s)', (adapter) => {
  let app: INestApplication;
  let base: string;
  async function start(options: DcrModuleOptions): Promise<void> {
    app = await startApp(
      adapter,
      DcrModule.forRoot({ registration: OPEN_REGISTRATION, ...options }),
    );
    base = await baseUrl(app);
  }
  afterEach(() => app?.close());

  function preflight(path: string, origin = ORIGIN): Promise<Response> {
    return fetch(`${base}/${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
  }

  function register(body: string, contentType = 'application/json'): Promise<Response> {
    return fetch(`${base}/connect/dcr`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': contentType },
      body,
    });
  }

  it('answers a preflight for registration and management from an allowed origin', async () => {
    await start({ corsOrigins: [ORIGIN], publicBaseUrl: 'https://id.example.com' });
    for (const path of ['connect/dcr', 'connect/dcr/some-client']) {
      const res = await preflight(path);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('lets an allowed origin read successes and errors', async () => {
    await start({ corsOrigins: [ORIGIN] });
    const ok = await register(JSON.stringify({ redirect_uris: ['https://app.example.com/cb'] }));
    expect(ok.status).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const refused = await register('a=b', 'application/x-www-form-urlencoded');
    expect(refused.status).toBe(415);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('gives no CORS headers to another origin', async () => {
    await start({ corsOrigins: [ORIGIN] });
    const res = await preflight('connect/dcr', 'https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.status).not.toBe(204);
  });

  it("allows any origin with '*'", async () => {
    await start({ corsOrigins: '*' });
    const res = await preflight('connect/dcr', 'https://anyone.example');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('is off by default', async () => {
    await start({});
    const res = await register(JSON.stringify({ redirect_uris: ['https://app.example.com/cb'] }));
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('connect/dcr')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
