import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { ServerParams } from '../scenario.js';

/** Boots `module` the way a host app would (NestFactory) on the adapter named in params. */
export async function startNestApp(module: Type | object, params: ServerParams): Promise<string> {
  const adapter = params.adapter;
  if (adapter !== 'express' && adapter !== 'fastify') {
    throw new Error(`params.adapter must be express or fastify, got ${String(adapter)}`);
  }
  const app: INestApplication = await NestFactory.create(
    module as Type,
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return url.replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
}
