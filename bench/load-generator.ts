import type { LoadResult, LoadSettings } from './ipc-messages.js';

// Child process entry: runs autocannon against one server (or several
// instances of one, connections dealt round robin) and sends the figures back
// over IPC, apart from both the harness and the server.

/** The fields of autocannon's result this harness reads (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: object) => Promise<AutocannonResult>;

async function run(settings: LoadSettings): Promise<LoadResult> {
  const specifier = 'autocannon';
  const { default: autocannon } = (await import(specifier)) as { default: Autocannon };
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
        duration: settings.durationSeconds,
      }),
    ),
  );
  const sum = (pick: (result: AutocannonResult) => number): number =>
    results.reduce((total, result) => total + pick(result), 0);
  // Several instances: latencies are the worse instance's (percentiles don't add).
  const worst = (pick: (result: AutocannonResult) => number): number =>
    Math.max(...results.map(pick));
  return {
    requestsPerSecond: sum((r) => r.requests.average),
    p50Ms: worst((r) => r.latency.p50),
    p99Ms: worst((r) => r.latency.p99),
    totalRequests: sum((r) => r.requests.total),
    non2xx: sum((r) => r.non2xx),
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
