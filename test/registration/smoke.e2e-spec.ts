import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS } from '../support/adapters.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';
import { useDcrApp } from '../support/suite-app.js';

describe.each(ADAPTERS)('registration smoke (%s)', (adapter) => {
  const { url } = useDcrApp(adapter, () => DcrModule.forRoot({ registration: OPEN_REGISTRATION }));

  it('registers a client', async () => {
    const res = await fetch(url(), {
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
