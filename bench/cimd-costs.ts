import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { ClientIdMetadataResolver } from '../lib/client-id-metadata/client-id-metadata.resolver.js';
import { DcrModule } from '../lib/dcr.module.js';
import { OutboundFetcher } from '../lib/fetch/outbound-fetcher.js';
import { isSpecialPurposeAddress } from '../lib/fetch/special-purpose-address.js';
import { generateTestTls, json, startTestHttpsServer } from '../test/support/test-https.js';

// Costs of the guarded fetcher and the Client ID Metadata Document cache,
// one process, an https server on loopback with a test CA:
//   tsc -p bench/tsconfig.json && node .bench/bench/cimd-costs.js
// Env: CIMD_FETCHES (default 300), CIMD_CACHED (default 200000).

const FETCHES = Number(process.env.CIMD_FETCHES ?? 300);
const CACHED = Number(process.env.CIMD_CACHED ?? 200_000);

async function main(): Promise<void> {
  const tls = await generateTestTls(['cimd.test']);
  const server = await startTestHttpsServer(tls);
  const id = (n: number) => `https://cimd.test:${server.port}/clients/${n}`;
  for (let n = 0; n <= FETCHES; n++) {
    server.route(
      `/clients/${n}`,
      json(
        {
          client_id: id(n),
          client_name: 'Bench client',
          redirect_uris: ['http://localhost/callback'],
          grant_types: ['authorization_code', 'refresh_token'],
          token_endpoint_auth_method: 'none',
        },
        { 'cache-control': 'max-age=3600' },
      ),
    );
  }
  const app = await NestFactory.createApplicationContext(
    DcrModule.forRoot({
      fetch: {
        ca: tls.caCert,
        allowHosts: [`cimd.test:${server.port}`],
        resolveHost: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
      },
    }),
    { logger: false },
  );
  const fetcher = app.get(OutboundFetcher);
  const resolver = app.get(ClientIdMetadataResolver);
  await resolver.resolve(id(0)); // warm-up: TLS context, JIT

  let start = performance.now();
  for (let n = 1; n <= FETCHES; n++) {
    await fetcher.fetch(id(n), { contentTypes: ['application/json'] });
  }
  const fetchMs = (performance.now() - start) / FETCHES;

  start = performance.now();
  for (let n = 1; n <= FETCHES; n++) await resolver.resolve(id(n));
  const coldMs = (performance.now() - start) / FETCHES;

  start = performance.now();
  for (let i = 0; i < CACHED; i++) await resolver.resolve(id((i % FETCHES) + 1));
  const cachedUs = ((performance.now() - start) * 1000) / CACHED;

  const addresses = ['8.8.8.8', '10.0.0.1', '2606:4700::1111', '::ffff:127.0.0.1'];
  start = performance.now();
  for (let i = 0; i < 1_000_000; i++) isSpecialPurposeAddress(addresses[i & 3]!);
  const checkNs = ((performance.now() - start) * 1e6) / 1_000_000;

  console.log(
    `guarded fetch, fresh TLS connection each (mean of ${FETCHES}): ${fetchMs.toFixed(2)} ms`,
  );
  console.log(
    `CIMD resolve, cache miss: fetch + rules + validator (mean of ${FETCHES}): ${coldMs.toFixed(2)} ms`,
  );
  console.log(`CIMD resolve, cache hit (mean of ${CACHED}): ${cachedUs.toFixed(2)} µs`);
  console.log(`isSpecialPurposeAddress (mean of 1e6): ${checkNs.toFixed(0)} ns`);
  await app.close();
  await server.close();
}

await main();
