import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DcrModule } from '../lib/dcr.module.js';
import { RegistrationService } from '../lib/registration/registration.service.js';
import type { MemoryResult } from './ipc-messages.js';
import { REGISTRATION_BODY } from './payload.js';

// Child process entry (node --expose-gc): registers N clients through the
// real pipeline into the in-memory store and reports the retained bytes per client.

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const collect: () => void = gc;

function settledMemory(): NodeJS.MemoryUsage {
  collect();
  collect();
  return process.memoryUsage();
}

async function register(service: RegistrationService, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    // A fresh parse per client, as each request brings its own strings.
    await service.register({}, JSON.parse(REGISTRATION_BODY) as Record<string, unknown>);
  }
}

const clients = Number(process.argv[2] ?? 100_000);
const app = await NestFactory.createApplicationContext(DcrModule.forRoot({}), { logger: false });
const service = app.get(RegistrationService);
// Warm the code paths first so compiled code and caches are not counted per client.
await register(service, 1000);
const before = settledMemory();
await register(service, clients);
const after = settledMemory();
const result: MemoryResult = {
  clients,
  heapBytesPerClient: (after.heapUsed - before.heapUsed) / clients,
  rssBytesPerClient: (after.rss - before.rss) / clients,
};
process.send?.(result, () => process.exit(0));
