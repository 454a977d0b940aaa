import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { forkScript, nextMessage, stopChild } from './child-process.js';
import type { MemoryResult, SoakResult, StepsResult } from './ipc-messages.js';
import { describeMachine } from './machine.js';
import { measureScenario, type Measurement, type RunSettings } from './measure.js';
import { CONNECTIONS, REGISTRATION_BODY } from './payload.js';
import {
  benchmarksMarkdown,
  buildReport,
  lowerMedian,
  memoryLine,
  resultsTable,
  soakLine,
  stepsLine,
  type ScenarioOutcome,
} from './report.js';
import type { ScenarioDefinition } from './scenario.js';
import { SCENARIOS } from './scenarios.js';
import { measureTokenSoak } from './token-soak.js';

// `npm run bench`: every scenario in turn, then the memory measurement, the
// registration steps and the soak, then the table on the console, in
// bench/results/latest.json and in BENCHMARKS.md.
// Env: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 2),
// BENCH_ROUNDS (default 1, or a row's own `rounds` if more: rounds run
// interleaved, the median round is kept),
// BENCH_ONLY (regexp on scenario ids), BENCH_BUDGET (s, default 1320: rows that
// would overrun it are skipped), BENCH_MEMORY_CLIENTS (default 100000, 0 = skip),
// BENCH_CPU_PROF=1 (servers run with --cpu-prof into bench/results/profiles/; a host they
// spawn writes <row>.host-<port>.cpuprofile).

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a non-negative number`);
  return value;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const resultsDir = `${repoRoot}bench/results/`;
const profilesDir = `${resultsDir}profiles/`;
const startedAt = Date.now();
const budgetMs = envNumber('BENCH_BUDGET', 1320) * 1000;
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const rounds = Math.max(1, Math.floor(envNumber('BENCH_ROUNDS', 1)));
const memoryClients = envNumber('BENCH_MEMORY_CLIENTS', 100_000);
const cpuProfile = process.env.BENCH_CPU_PROF === '1';
const soakReadings = (process.env.BENCH_SOAK ?? '20,60')
  .split(',')
  .map(Number)
  .filter((seconds) => seconds > 0);
if (
  soakReadings.some(
    (seconds, i) => !Number.isInteger(seconds) || seconds <= (soakReadings[i - 1] ?? 0),
  )
) {
  throw new Error('BENCH_SOAK must be ascending whole seconds, e.g. 60,300');
}
const settings: RunSettings = {
  durationSeconds: envNumber('BENCH_DURATION', 10),
  warmupSeconds: envNumber('BENCH_WARMUP', 2),
  serverExecArgv: (scenario) =>
    cpuProfile
      ? ['--cpu-prof', `--cpu-prof-dir=${profilesDir}`, `--cpu-prof-name=${scenario.id}.cpuprofile`]
      : [],
};
// One scenario round: its load time plus start-up and teardown (a scenario
// that declares a long start-up, e.g. seeding a database, reserves all of it).
const roundCostMs = (scenario: ScenarioDefinition): number =>
  (settings.durationSeconds +
    Math.max(settings.warmupSeconds, scenario.minWarmupSeconds ?? 0) +
    20) *
    1000 +
  (scenario.startTimeoutMs ?? 0);
const memoryCostMs = 60_000;

/** One answer from a bench script run in its own process; undefined, with the reason on stderr, if it fails. */
async function childAnswer<T>(
  what: string,
  script: string,
  args: string[],
  execArgv: string[],
  accept: (message: unknown) => message is T,
  timeoutMs: number,
): Promise<T | undefined> {
  const { child, stderr } = forkScript(script, args, execArgv);
  try {
    return await nextMessage(child, accept, timeoutMs, what);
  } catch (error) {
    console.error(`${what}: ${(error as Error).message}\n${stderr()}`);
    return undefined;
  } finally {
    await stopChild(child);
  }
}

async function measureMemory(): Promise<MemoryResult | undefined> {
  if (memoryClients === 0) return undefined;
  if (Date.now() - startedAt + memoryCostMs > budgetMs) {
    console.error('memory per client: skipped, the time budget is spent');
    return undefined;
  }
  return childAnswer(
    'memory per client',
    './memory-per-client.js',
    [String(memoryClients)],
    ['--expose-gc'],
    (m): m is MemoryResult => typeof m === 'object' && m !== null && 'heapBytesPerClient' in m,
    memoryCostMs,
  );
}

async function measureSteps(): Promise<StepsResult | undefined> {
  if (only && !only.test('registration-steps')) return undefined;
  return childAnswer(
    'registration steps',
    './registration-steps.js',
    [],
    [],
    (m): m is StepsResult => typeof m === 'object' && m !== null && 'steps' in m,
    120_000,
  );
}

async function measureSoak(): Promise<SoakResult | undefined> {
  // Outside the rows' time budget: its length is BENCH_SOAK's.
  if (soakReadings.length === 0 || (only && !only.test('token-soak'))) return undefined;
  process.stderr.write(`token soak (${soakReadings.join(', ')} s) ... `);
  try {
    const soak = await measureTokenSoak(soakReadings, settings);
    console.error('done');
    return soak;
  } catch (error) {
    console.error(`failed\n${(error as Error).message}`);
    return undefined;
  }
}

async function writeFormatted(path: string, text: string): Promise<void> {
  const options = await resolveConfig(path);
  await writeFile(path, await format(text, { ...options, filepath: path }));
}

/** The round whose requests/s is the median (the lower middle for an even count). */
function median(measurements: Measurement[]): Measurement | undefined {
  const middle = lowerMedian(measurements.map((m) => m.requestsPerSecond));
  return measurements.find((m) => m.requestsPerSecond === middle);
}

async function measureAll(scenarios: readonly ScenarioDefinition[]): Promise<ScenarioOutcome[]> {
  const measured = new Map<string, Measurement[]>(scenarios.map((s) => [s.id, []]));
  const problems = new Map<string, string>();
  const roundsOf = (scenario: ScenarioDefinition): number => Math.max(rounds, scenario.rounds ?? 1);
  const lastRound = Math.max(...scenarios.map(roundsOf));
  // Rounds interleave the scenarios, so a burst of outside load hits them alike.
  for (let round = 1; round <= lastRound; round++) {
    for (const scenario of scenarios) {
      if (problems.has(scenario.id) || round > roundsOf(scenario)) continue;
      if (Date.now() - startedAt + roundCostMs(scenario) > budgetMs) {
        console.error(`${scenario.id}: round ${round} skipped, the time budget is spent`);
        if (measured.get(scenario.id)?.length === 0) problems.set(scenario.id, 'time budget spent');
        continue;
      }
      process.stderr.write(
        `[${round}/${roundsOf(scenario)}] ${scenario.id} (${scenario.label}) ... `,
      );
      try {
        const measurement = await measureScenario(scenario, settings);
        console.error(`${Math.round(measurement.requestsPerSecond)} req/s`);
        measured.get(scenario.id)?.push(measurement);
      } catch (error) {
        console.error(`failed\n${(error as Error).message}`);
        problems.set(scenario.id, (error as Error).message);
      }
    }
  }
  return scenarios.map((scenario) => {
    const all = measured.get(scenario.id) ?? [];
    return {
      scenario,
      measurement: problems.has(scenario.id) ? undefined : median(all),
      rounds: all,
      problem: problems.get(scenario.id),
    };
  });
}

const loadAverageAtStart = loadavg();
if (cpuProfile) await mkdir(profilesDir, { recursive: true });
const outcomes = await measureAll(SCENARIOS.filter((s) => !only || only.test(s.id)));
const memory = await measureMemory();
const steps = await measureSteps();
const soak = await measureSoak();

const report = buildReport(
  describeMachine(new Date(), loadAverageAtStart),
  {
    connections: CONNECTIONS,
    durationSeconds: settings.durationSeconds,
    warmupSeconds: settings.warmupSeconds,
    rounds,
    bodyBytes: Buffer.byteLength(REGISTRATION_BODY),
  },
  outcomes,
  { memory, steps, soak },
);
console.log(
  `\n${resultsTable(report)}\n\n${memoryLine(memory)}\n\n${stepsLine(steps)}\n\n${soakLine(soak)}`,
);
await mkdir(resultsDir, { recursive: true });
await writeFormatted(`${resultsDir}latest.json`, JSON.stringify(report, null, 2));
await writeFormatted(`${repoRoot}BENCHMARKS.md`, benchmarksMarkdown(report));
console.log(
  `\nWritten: bench/results/latest.json, BENCHMARKS.md (${Math.round((Date.now() - startedAt) / 1000)} s)`,
);
if (outcomes.some((o) => !o.measurement)) process.exitCode = 1;
