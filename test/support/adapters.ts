import type { INestApplication, Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

export type AdapterName = 'express' | 'fastify';

/** Every e2e scenario runs on both adapters. */
export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

/** Boots `module` on the named adapter, listening on a free loopback port. */
export async function startApp(
  adapter: AdapterName,
  module: Type | object,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module as Type] }).compile();
  const app = moduleRef.createNestApplication(
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Base URL of a listening app. */
export async function baseUrl(app: INestApplication): Promise<string> {
  const url = await app.getUrl();
  return url.replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
}
