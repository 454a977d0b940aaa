import type { MachineInfo } from './machine.js';
import type { Measurement } from './measure.js';
import type { MemoryResult, SoakResult, StepsResult } from './ipc-messages.js';
import type { ScenarioDefinition } from './scenario.js';
import { BARE_NEST_ID, CEILING_ID, OIDC_PROVIDER_ID } from './scenarios.js';

export interface ScenarioOutcome {
  scenario: ScenarioDefinition;
  measurement?: Measurement;
  /** Every round, in the order they ran (the measurement is the median round). */
  rounds: Measurement[];
  /** Why there is no measurement (start-up failed, time budget spent, ...). */
  problem?: string;
}

export interface Ratios {
  /** requests/s divided by the ceiling's. */
  vsCeiling?: number;
  /** requests/s divided by node-oidc-provider's (the row's anchor). */
  vsOidcProvider?: number;
  /** p99 divided by the anchor's p99 (token rows only). */
  p99VsOidcProvider?: number;
  /** requests/s divided by the bare Nest controller's on the same adapter. */
  vsBareNest?: number;
  /** p99 divided by the bare Nest controller's p99 on the same adapter. */
  p99VsBareNest?: number;
}

export interface BenchReport {
  machine: MachineInfo;
  settings: {
    connections: number;
    durationSeconds: number;
    warmupSeconds: number;
    rounds: number;
    bodyBytes: number;
  };
  scenarios: {
    id: string;
    label: string;
    adapter: string;
    measurement?: Measurement;
    roundsRequestsPerSecond: number[];
    roundsP99Ms: number[];
    ratios?: Ratios;
    problem?: string;
  }[];
  memory?: MemoryResult;
  steps?: StepsResult;
  soak?: SoakResult;
}

/** The middle value (the lower middle for an even count), as the median round is chosen. */
export function lowerMedian(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

type Metric = (measurement: Measurement) => number;
const requestsPerSecond: Metric = (m) => m.requestsPerSecond;
const p99: Metric = (m) => m.p99Ms;

/**
 * A row's figure over a base row's. When both ran several rounds, the median
 * of the round-by-round ratios: rounds interleave, so each pair ran under the
 * machine's load of that moment, which a burst of outside work would move
 * alike. Otherwise the median round's over the base's.
 */
function relative(
  outcome: ScenarioOutcome,
  base: ScenarioOutcome | undefined,
  metric: Metric,
): number | undefined {
  if (!outcome.measurement || !base?.measurement) return undefined;
  const { rounds } = outcome;
  if (rounds.length > 1 && base.rounds.length >= rounds.length) {
    return lowerMedian(rounds.map((round, i) => metric(round) / metric(base.rounds[i]!)));
  }
  return metric(outcome.measurement) / metric(base.measurement);
}

/** Adds each measured row's ratios to the ceiling, to node-oidc-provider and to bare Nest. */
export function buildReport(
  machine: MachineInfo,
  settings: BenchReport['settings'],
  outcomes: ScenarioOutcome[],
  measured: Pick<BenchReport, 'memory' | 'steps' | 'soak'> = {},
): BenchReport {
  const byId = new Map(outcomes.map((o) => [o.scenario.id, o]));
  const outcomeOf = (id: string | undefined): ScenarioOutcome | undefined =>
    id === undefined ? undefined : byId.get(id);
  return {
    machine,
    settings,
    scenarios: outcomes.map((outcome) => {
      const { scenario, measurement, rounds, problem } = outcome;
      const bareNest = outcomeOf(BARE_NEST_ID[scenario.adapter]);
      const anchor = outcomeOf(scenario.anchor ?? OIDC_PROVIDER_ID);
      const ratios: Ratios | undefined = measurement && {
        vsCeiling: relative(outcome, outcomeOf(CEILING_ID), requestsPerSecond),
        vsOidcProvider: relative(outcome, anchor, requestsPerSecond),
        p99VsOidcProvider: scenario.anchor ? relative(outcome, anchor, p99) : undefined,
        vsBareNest: relative(outcome, bareNest, requestsPerSecond),
        p99VsBareNest: relative(outcome, bareNest, p99),
      };
      return {
        id: scenario.id,
        label: scenario.label,
        adapter: scenario.adapter,
        measurement,
        roundsRequestsPerSecond: rounds.map((m) => Math.round(m.requestsPerSecond)),
        roundsP99Ms: rounds.map((m) => m.p99Ms),
        ratios,
        problem,
      };
    }),
    ...measured,
  };
}

const times = (value: number | undefined): string =>
  value === undefined ? '–' : `${value.toFixed(2)}×`;
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

const medianNote = (rounds: number): string => (rounds > 1 ? ` (median of ${rounds})` : '');

/** The results as a Markdown table (also what the console shows). */
export function resultsTable(report: BenchReport): string {
  const header =
    '| scenario | adapter | req/s | p50 ms | p99 ms | server CPU µs/req | peak RSS MiB | × ceiling | × oidc-provider | p99 × oidc-provider | × bare Nest | p99 × bare Nest | non-2xx / errors |';
  const rule = '|' + ' --- |'.repeat(13);
  const rows = report.scenarios.map((row) => {
    const { adapter, measurement: m, ratios: r, problem } = row;
    const label = row.label + medianNote(row.roundsRequestsPerSecond.length);
    return m && r
      ? `| ${label} | ${adapter} | ${Math.round(m.requestsPerSecond)} | ${m.p50Ms} | ${m.p99Ms} | ${Math.round(m.cpuMicrosPerRequest)} | ${mib(m.maxRssBytes)} | ${times(r.vsCeiling)} | ${times(r.vsOidcProvider)} | ${times(r.p99VsOidcProvider)} | ${times(r.vsBareNest)} | ${times(r.p99VsBareNest)} | ${m.non2xx} / ${m.errors + m.timeouts} |`
      : `| ${label} | ${adapter} | not measured: ${(problem ?? '').split('\n')[0]} |` +
          ' |'.repeat(11);
  });
  return [header, rule, ...rows].join('\n');
}

export function memoryLine(memory: MemoryResult | undefined): string {
  if (!memory) return 'Memory per stored client: not measured.';
  return (
    `Memory per stored client (in-memory store, ${memory.clients} registrations through the ` +
    `pipeline): ${Math.round(memory.heapBytesPerClient)} bytes of heap ` +
    `(${Math.round(memory.rssBytesPerClient)} bytes of RSS).`
  );
}

const micros = (value: number): string => value.toFixed(2);

/** Where a bearer registration's time goes: the module's steps, then with and without the module through Fastify. */
export function stepsLine(steps: StepsResult | undefined): string {
  if (!steps) return 'Registration steps: not measured.';
  const sum = steps.steps.reduce((total, step) => total + step.micros, 0);
  const between = steps.injectRegistrationMicros - steps.injectBareMicros;
  return (
    `Registration steps (the module's own, RS256 bearer with the token cache warm, in-memory store, the bench body; ` +
    `in process, the least of ${steps.rounds} rounds' means over ${steps.iterations} registrations): ` +
    steps.steps.map((step) => `${step.name} ${micros(step.micros)} µs`).join(', ') +
    `; ${micros(sum)} µs in all. Through Fastify's inject (no socket), one request to the bare controller takes ` +
    `${micros(steps.injectBareMicros)} µs and one bearer registration ${micros(steps.injectRegistrationMicros)} µs: ` +
    `the module's steps are ${micros(sum)} of the ${micros(between)} µs between them; the rest is outside them ` +
    `(Nest and Fastify around them: the guard chain, the answer's headers, hooks, a larger answer; and collecting ` +
    `the garbage of a store that keeps every client).`
  );
}

/** The host's RSS under sustained token load: flat means the last reading is within 10% of the first. */
export function soakLine(soak: SoakResult | undefined): string {
  if (!soak || soak.readings.length === 0) return 'Token soak: not measured.';
  const first = soak.readings[0];
  const last = soak.readings[soak.readings.length - 1];
  const readings = soak.readings
    .map(
      (r) =>
        `${mib(r.rssBytes)} MiB after ${r.afterSeconds} s (${mib(r.minRssBytes)}–${mib(r.maxRssBytes)})`,
    )
    .join(', ');
  return (
    `Token soak (the host on PGlite, one uninterrupted client_credentials load at ` +
    `${Math.round(soak.requestsPerSecond)} req/s, RSS of the host process sampled every second, ` +
    `each reading the median of the 10 s before it, with their range): ` +
    `${mib(soak.idleRssBytes)} MiB idle, ${readings}; last / first ${(last.rssBytes / first.rssBytes).toFixed(2)}×.`
  );
}

/** BENCHMARKS.md: how the run was made, on what, and its table. */
export function benchmarksMarkdown(report: BenchReport): string {
  const { machine: m, settings: s } = report;
  return `# Benchmarks

Generated by \`npm run bench\` (see the README's "Benchmarks" section); do not edit by hand.
Figures compare within one run on one machine only.

- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}
- Node: ${m.node}
- Date: ${m.date}; 1-minute load average ${m.loadAverage.start.toFixed(1)} before the run, ${m.loadAverage.end.toFixed(1)} after (other work on the machine lowers the figures)
- Load: autocannon in its own process, ${s.connections} connections, ${s.durationSeconds} s per scenario after a ${s.warmupSeconds} s warm-up, POST of the same ${s.bodyBytes}-byte registration body (token rows: their token request; code exchange rows: each of their codes, minted before the load, once, so their loads are a fixed number of requests, split between warm-up and measurement in proportion to the seconds above; refresh rows: 500 refresh tokens of one session in turn); client and server share the machine's cores. A row whose load had any answer but the expected status is not measured.
- Rounds: ${s.rounds} per row; a row marked "median of N" ran N rounds interleaved with the others and shows its median round (every round is in bench/results/latest.json); its ratios to a row that ran as many rounds are the median of the round-by-round ratios (each round beside the other's round of the same turn), not the quotient of the two median rounds.

${resultsTable(report)}

"× ceiling", "× oidc-provider" and "× bare Nest" divide a row's requests/s by that row's (bare Nest: the bare controller on the same adapter); "p99 × bare Nest" divides the p99 latencies. Server CPU µs/req is the server process's user + system CPU time over the measured load divided by the requests answered: it moves less than requests/s when other work shares the machine. Peak RSS is the server process's \`maxRSS\`, start-up included.

${memoryLine(report.memory)}

${stepsLine(report.steps)}

${soakLine(report.soak)}
`;
}
