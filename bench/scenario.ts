/** What a scenario's server module returns once it listens. */
export interface ScenarioServer {
  /** Full URL the load generator POSTs to (127.0.0.1). */
  url: string;
  /** More URLs of the same service (other instances): connections are dealt round robin. */
  moreUrls?: string[];
  /** Extra request headers, e.g. an Authorization bearer. */
  headers?: Record<string, string>;
  /** The request, when not the registration body (JSON, answered 201). */
  request?: ScenarioRequest;
  /**
   * Processes whose CPU and RSS the row reports instead of the server-host's
   * own (a server module that spawns the real host, e.g. sample-app).
   */
  processIds?: number[];
}

/** What the load generator sends. Every answer must have `expectedStatus`, or the row fails. */
export interface ScenarioRequest {
  body: string;
  contentType: string;
  expectedStatus: number;
  /**
   * Single-use bodies for the loads (e.g. each with its own authorization
   * code; `body` then holds one more, for the answer check): each is sent
   * exactly once. The warm-up and the measured load share them in proportion
   * to their seconds, and each load sends its share, a fixed number of
   * requests rather than a duration.
   */
  oneShotBodies?: string[];
  /**
   * Bodies sent in turn, again and again, for the load's seconds (e.g. each
   * with its own refresh token, so that concurrent requests name different
   * records, as a real client population does).
   */
  cycledBodies?: string[];
}

/** Parameters the harness passes to a server module's `startServer`. */
export type ServerParams = Readonly<Record<string, string>>;

/** The contract of a module under bench/servers/: start a server, return where to send requests. */
export type StartServer = (params: ServerParams) => Promise<ScenarioServer>;

/**
 * One row of the benchmark. The server module runs in its own child process
 * (clean heap, its own peak RSS), started by server-host.ts.
 */
export interface ScenarioDefinition {
  /** Stable key, used in results/latest.json. */
  id: string;
  /** What the row is called in the table. */
  label: string;
  /** HTTP layer: rows on the same adapter compare with that adapter's bare Nest row. */
  adapter: 'node:http' | 'koa' | 'express' | 'fastify';
  /** The row whose node-oidc-provider figures the "× oidc-provider" columns divide by. Default `oidc-provider`. */
  anchor?: string;
  /** Module under bench/servers/ (its compiled .js name) exporting `startServer`. */
  server: string;
  params?: ServerParams;
  /**
   * Interleaved rounds this row gets at least (its median round is kept). The
   * rows the goals compare on Fastify get 3, the token goal rows 5: one 10 s
   * round of them varies by ±15% and more on a shared 2-core machine.
   */
  rounds?: number;
  /**
   * Seconds of warm-up load at least (BENCH_WARMUP if longer): the host has far
   * more code to compile than a bare server before its figures settle.
   */
  minWarmupSeconds?: number;
  /**
   * Longest start-up (seeding included) before the scenario is abandoned.
   * Default 60 s; a value given here is also reserved in the run's time budget.
   */
  startTimeoutMs?: number;
}
