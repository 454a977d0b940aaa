import type { EventEmitter } from 'node:events';
import type { LoadResult, LoadSettings } from './ipc-messages.js';

// Child process entry: runs autocannon against one server (or several
// instances of one, connections dealt round robin) and sends the figures back
// over IPC, apart from both the harness and the server.

/** The fields of autocannon's result this harness reads (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: object) => Promise<AutocannonResult>;

/**
 * Sends each single-use body once: autocannon stops after `amount` requests,
 * and builds a request with `setupRequest` exactly when it is about to send
 * it (a connection's first at its start, each next one after an answer).
 * `seconds` ends at the last answer: autocannon's own duration runs on to its
 * next one-second tick.
 */
function oneShot(bodies: readonly string[]): { options: object; seconds: () => number } {
  let next = 0;
  const startedAt = performance.now();
  let lastAnswerAt = startedAt;
  return {
    options: {
      amount: bodies.length,
      requests: [
        {
          setupRequest: (request: object) => {
            if (next >= bodies.length) throw new Error('more requests than single-use bodies');
            return { ...request, body: bodies[next++] };
          },
        },
      ],
      setupClient: (client: EventEmitter) =>
        client.on('response', () => {
          lastAnswerAt = performance.now();
        }),
    },
    seconds: () => (lastAnswerAt - startedAt) / 1000,
  };
}

/** Sends the bodies in turn, from every connection, for the load's duration. */
function cycled(bodies: readonly string[]): object {
  let next = 0;
  return {
    requests: [
      {
        setupRequest: (request: object) => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
  };
}

async function run(settings: LoadSettings): Promise<LoadResult> {
  const specifier = 'autocannon';
  const { default: autocannon } = (await import(specifier)) as { default: Autocannon };
  if ((settings.oneShotBodies || settings.cycledBodies) && settings.urls.length !== 1) {
    throw new Error('single-use and cycled bodies are sent to one URL only');
  }
  const once = settings.oneShotBodies && oneShot(settings.oneShotBodies);
  const share = Math.floor(settings.connections / settings.urls.length);
  const results = await Promise.all(
    settings.urls.map((url, index) =>
      autocannon({
        url,
        method: 'POST',
        headers: { 'content-type': settings.contentType, ...settings.headers },
        body: settings.body,
        // The first URL takes what doesn't divide evenly.
        connections:
          index === 0 ? settings.connections - share * (settings.urls.length - 1) : share,
        ...(once ? once.options : { duration: settings.durationSeconds }),
        ...(settings.cycledBodies && cycled(settings.cycledBodies)),
      }),
    ),
  );
  const sum = (pick: (result: AutocannonResult) => number): number =>
    results.reduce((total, result) => total + pick(result), 0);
  // Several instances: latencies are the worse instance's (percentiles don't add).
  const worst = (pick: (result: AutocannonResult) => number): number =>
    Math.max(...results.map(pick));
  const answered = (result: AutocannonResult): number =>
    Object.values(result.statusCodeStats).reduce((total, { count }) => total + count, 0);
  return {
    // A fixed number of requests: its last one-second sample is partial, so
    // the rate is the requests over the time they took.
    requestsPerSecond: once
      ? sum((r) => r.requests.total) / once.seconds()
      : sum((r) => r.requests.average),
    p50Ms: worst((r) => r.latency.p50),
    p99Ms: worst((r) => r.latency.p99),
    totalRequests: sum((r) => r.requests.total),
    non2xx: sum((r) => r.non2xx),
    unexpectedStatus: sum(
      (r) => answered(r) - (r.statusCodeStats[String(settings.expectedStatus)]?.count ?? 0),
    ),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
  };
}

process.once('message', (settings: LoadSettings) => {
  run(settings).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
