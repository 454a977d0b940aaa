import { INestApplication } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { App } from 'supertest/types';
import { AppModule } from './../src/app.module';

describe('nestjs-dcr in a Nest 11 CommonJS app (e2e)', () => {
  let app: INestApplication<App>;

  beforeEach(async () => {
    process.env.PUBLIC_URL = 'http://127.0.0.1';
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();
    app = moduleFixture.createNestApplication();
    await app.init();
  });

  afterEach(() => app.close());

  it('registers a client and reads it back (RFC 7592)', async () => {
    const created = await request(app.getHttpServer())
      .post('/connect/dcr')
      .send({ client_name: 'e2e', grant_types: ['client_credentials'], response_types: [] })
      .expect(201);
    const path = new URL(created.body.registration_client_uri).pathname;
    const read = await request(app.getHttpServer())
      .get(path)
      .set('authorization', `Bearer ${created.body.registration_access_token}`)
      .expect(200);
    expect(read.body.client_id).toBe(created.body.client_id);
  });

  it('runs the app own metadata step', async () => {
    const refused = await request(app.getHttpServer())
      .post('/connect/dcr')
      .send({ grant_types: ['client_credentials'], response_types: [], scope: 'admin' })
      .expect(400);
    expect(refused.body.error).toBe('invalid_client_metadata');
  });
});
