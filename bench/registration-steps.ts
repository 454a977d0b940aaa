import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DcrAuditor } from '../lib/audit/dcr-auditor.js';
import { ScopeGuard } from '../lib/auth/scope.guard.js';
import { DCR_OPTIONS } from '../lib/dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../lib/dcr.options.js';
import { ClientMetadataValidator } from '../lib/metadata/client-metadata.validator.js';
import { getDcrCaller } from '../lib/registration/dcr-caller.js';
import { requireRegistrationBody } from '../lib/registration/registration-body.js';
import { RegistrationContext } from '../lib/registration/registration-context.js';
import { RegistrationResponseGenerator } from '../lib/registration/registration-response.generator.js';
import { RegistrationProcessor } from '../lib/registration/registration.processor.js';
import { SectorIdentifierVerifier } from '../lib/registration/sector-identifier.verifier.js';
import { SoftwareStatementValidator } from '../lib/software-statement/software-statement.validator.js';
import type { StepsResult } from './ipc-messages.js';
import { REGISTRATION_BODY } from './payload.js';
import { BareNestModule } from './servers/bare-nest.js';
import { bearerRegistration } from './servers/dcr-bearer.js';

// Child process entry: the module's own steps of one RS256-bearer registration
// (the "DcrModule, RS256 bearer, in-memory" rows, token cache warm), each timed
// in process over the bench body; then the same registration and the bare
// controller's through Fastify's inject (no socket), so a row's server CPU per
// request splits into the module's steps, the framework around them, and the rest.

const ITERATIONS = 20_000;
const ROUNDS = 5;

const { module, authorization } = await bearerRegistration(true);
const app = await NestFactory.createApplicationContext(module, { logger: false });
const guard = app.get(ScopeGuard);
const options = app.get<ResolvedDcrOptions>(DCR_OPTIONS);
const softwareStatements = app.get(SoftwareStatementValidator);
const validator = app.get(ClientMetadataValidator);
const sectorIdentifiers = app.get(SectorIdentifierVerifier);
const processor = app.get(RegistrationProcessor);
const responseGenerator = app.get(RegistrationResponseGenerator);
const auditor = app.get(DcrAuditor);

const STEPS = [
  'bearer guard (cached token)',
  'body checks',
  'software statement (none)',
  'metadata validation',
  'sector identifier (none)',
  'processor (ids, secret and token with their hashes, store write)',
  'response',
  'audit event',
  'response JSON',
] as const;

/** One registration, each step's microseconds added to `totals` (indexed as STEPS). */
async function registerOnce(totals: number[]): Promise<void> {
  const request = {
    method: 'POST',
    ip: '127.0.0.1',
    headers: {
      authorization,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(REGISTRATION_BODY)),
    },
    body: JSON.parse(REGISTRATION_BODY) as unknown,
  };
  let step = 0;
  let started = performance.now();
  const lap = (): void => {
    const now = performance.now();
    totals[step++] += (now - started) * 1000;
    started = now;
  };
  await guard.canActivate(new ExecutionContextHost([request, {}]));
  lap();
  const body = requireRegistrationBody(request.headers, request.body, options.maxBodyBytes);
  lap();
  const context = new RegistrationContext(request, getDcrCaller(request), body);
  context.softwareStatement = await softwareStatements.validate(body.software_statement, context);
  lap();
  context.metadata = await validator.validate(context);
  lap();
  const sectorCheck = sectorIdentifiers.verify(context.metadata);
  if (sectorCheck) await sectorCheck;
  lap();
  context.result = await processor.process(context);
  lap();
  const response = responseGenerator.generate(context, context.result);
  lap();
  auditor.succeeded(request, 'client.registered', context.result.client.clientId);
  lap();
  JSON.stringify(response);
  lap();
}

async function round(): Promise<number[]> {
  const totals = STEPS.map(() => 0);
  for (let i = 0; i < ITERATIONS; i++) await registerOnce(totals);
  return totals.map((total) => total / ITERATIONS);
}

async function fastifyApp(rootModule: object): Promise<NestFastifyApplication> {
  const nest = await NestFactory.create<NestFastifyApplication>(
    rootModule as Parameters<typeof NestFactory.create>[0],
    new FastifyAdapter(),
    { logger: false },
  );
  await nest.init();
  await nest.getHttpAdapter().getInstance().ready();
  return nest;
}

/** Mean microseconds of one registration through Fastify's inject, its answer checked. */
async function injectRound(nest: NestFastifyApplication): Promise<number> {
  const fastify = nest.getHttpAdapter().getInstance();
  const headers = { authorization, 'content-type': 'application/json' };
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const answer = await fastify.inject({
      method: 'POST',
      url: '/connect/dcr',
      headers,
      payload: REGISTRATION_BODY,
    });
    if (answer.statusCode !== 201) throw new Error(`inject: ${answer.statusCode} ${answer.body}`);
  }
  return ((performance.now() - started) * 1000) / ITERATIONS;
}

await round(); // compiled code and warm caches, not counted
const rounds: number[][] = [];
for (let i = 0; i < ROUNDS; i++) rounds.push(await round());
await app.close();

const bare = await fastifyApp(BareNestModule);
const registration = await fastifyApp(module);
await injectRound(bare);
await injectRound(registration);
const bareRounds: number[] = [];
const registrationRounds: number[] = [];
// Interleaved, so a burst of outside work hits both alike.
for (let i = 0; i < ROUNDS; i++) {
  bareRounds.push(await injectRound(bare));
  registrationRounds.push(await injectRound(registration));
}
await Promise.all([bare.close(), registration.close()]);

const result: StepsResult = {
  iterations: ITERATIONS,
  rounds: ROUNDS,
  steps: STEPS.map((name, i) => ({ name, micros: Math.min(...rounds.map((r) => r[i])) })),
  injectBareMicros: Math.min(...bareRounds),
  injectRegistrationMicros: Math.min(...registrationRounds),
};
process.send?.(result, () => process.exit(0));
