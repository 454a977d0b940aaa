import { Module, type INestApplication, type Type } from '@nestjs/common';
import { ClientStore, InMemoryClientStore, StoreUnavailableError } from '../../lib/index.js';
import { HealthController } from '../../sample-app/health.controller.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';

/** A store whose backend is down, as a PostgreSQL store reports it. */
class UnreachableClientStore extends InMemoryClientStore {
  override async ping(): Promise<void> {
    throw new StoreUnavailableError({ cause: new Error('connection refused') });
  }
}

function healthModule(store: Type<ClientStore>): Type {
  @Module({
    controllers: [HealthController],
    providers: [{ provide: ClientStore, useClass: store }],
  })
  class HealthModule {}
  return HealthModule;
}

describe.each(ADAPTERS)('sample-app /health (%s)', (adapter) => {
  const apps: INestApplication[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  async function health(store: Type<ClientStore>): Promise<Response> {
    const app = await startApp(adapter, healthModule(store));
    apps.push(app);
    return fetch(`${await baseUrl(app)}/health`);
  }

  it('answers 200 while the store answers its ping', async () => {
    const res = await health(InMemoryClientStore);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 when the store does not, without detail', async () => {
    const res = await health(UnreachableClientStore);
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ status: 'unavailable' });
    expect(body).not.toContain('connection refused');
  });
});
