import type { ScenarioServer } from './scenario.js';

/** server-host.ts -> harness. */
export type HostMessage =
  | ({ type: 'ready' } & ScenarioServer)
  | { type: 'failed'; message: string }
  | {
      type: 'usage';
      maxRssBytes: number;
      /** CPU time (user + system) the server used since the last mark-cpu. */
      cpuMicrosSinceMark: number;
    };

/** harness -> server-host.ts. */
export type HarnessMessage = { type: 'mark-cpu' } | { type: 'report-usage' } | { type: 'stop' };

/** harness -> load-generator.ts. */
export interface LoadSettings {
  /** Connections are split evenly across the URLs (one autocannon each, run together). */
  urls: string[];
  headers: Record<string, string>;
  body: string;
  contentType: string;
  /** The status every answer must have; any other is counted in `unexpectedStatus`. */
  expectedStatus: number;
  connections: number;
  durationSeconds: number;
  /** Single-use bodies (one URL only): each sent once, the load ends when all are answered. */
  oneShotBodies?: string[];
  /** Bodies sent in turn, again and again, for the duration (one URL only). */
  cycledBodies?: string[];
}

/** load-generator.ts -> harness. */
export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  totalRequests: number;
  non2xx: number;
  /** Answers whose status is not the expected one (2xx included). */
  unexpectedStatus: number;
  errors: number;
  timeouts: number;
}

/** token-soak.ts -> harness. */
export interface SoakResult {
  /** Seconds of load at each reading; the host's RSS then (median of the window) and the window's range. */
  readings: { afterSeconds: number; rssBytes: number; minRssBytes: number; maxRssBytes: number }[];
  idleRssBytes: number;
  /** Over the whole uninterrupted load. */
  requestsPerSecond: number;
}

/** registration-steps.ts -> harness: each step's microseconds per registration, the least of the rounds' means. */
export interface StepsResult {
  iterations: number;
  rounds: number;
  steps: { name: string; micros: number }[];
  /** One request through Fastify's inject (no socket): the bare controller, and the bearer registration. */
  injectBareMicros: number;
  injectRegistrationMicros: number;
}

/** memory-per-client.ts -> harness. */
export interface MemoryResult {
  clients: number;
  heapBytesPerClient: number;
  rssBytesPerClient: number;
}
