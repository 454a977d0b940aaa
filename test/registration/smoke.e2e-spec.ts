import type { INestApplication } from '@nestjs/common';
import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

describe.each(ADAPTERS)('registration smoke (%s)', (adapter) => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    app = await startApp(adapter, DcrModule.forRoot({ registration: OPEN_REGISTRATION }));
    url = (await baseUrl(app)) + '/connect/dcr';
  });
  afterAll(() => app.close());

  it('registers a client', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['https://a.example/cb'] }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.client_id).toEqual(expect.any(String));
    expect(body.client_secret).toEqual(expect.any(String));
  });
});
