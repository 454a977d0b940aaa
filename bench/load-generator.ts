import type { LoadResult, LoadSettings } from './ipc-messages.js';

// Child process entry: runs autocannon against one server and sends the
// figures back over IPC, apart from both the harness and the server.

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
  const result = await autocannon({
    url: settings.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...settings.headers },
    body: settings.body,
    connections: settings.connections,
    duration: settings.durationSeconds,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    totalRequests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
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
