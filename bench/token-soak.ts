import { stopChild } from './child-process.js';
import type { SoakResult } from './ipc-messages.js';
import { generateLoad, startHost, type RunSettings } from './measure.js';
import { processUsage } from './process-usage.js';
import type { ScenarioDefinition } from './scenario.js';

/** The host where memory grew under token load: PGlite, in the same process. */
const SOAK_SCENARIO: ScenarioDefinition = {
  id: 'token-soak-host-pglite',
  label: 'the host, token client_credentials, PGlite (soak)',
  adapter: 'koa',
  server: 'sample-host-token.js',
  params: { store: 'pglite' },
};

/**
 * Sustained token load on the host, its RSS read at each of `readingsSeconds`
 * (cumulative seconds of load, ascending). The load runs in segments between
 * readings; the gap between two is the time to read /proc and start autocannon.
 */
export async function measureTokenSoak(
  readingsSeconds: readonly number[],
  settings: RunSettings,
): Promise<SoakResult> {
  const { child, server } = await startHost(SOAK_SCENARIO, settings);
  try {
    const pids = server.processIds ?? [];
    const idleRssBytes = processUsage(pids).rssBytes;
    const readings: SoakResult['readings'] = [];
    let loaded = 0;
    for (const afterSeconds of readingsSeconds) {
      const load = await generateLoad(server, afterSeconds - loaded);
      loaded = afterSeconds;
      if (load.non2xx > 0 || load.errors > 0) {
        throw new Error(`soak: ${load.non2xx} non-2xx answers, ${load.errors} errors`);
      }
      readings.push({
        afterSeconds,
        rssBytes: processUsage(pids).rssBytes,
        requestsPerSecond: load.requestsPerSecond,
      });
    }
    return { readings, idleRssBytes };
  } finally {
    await stopChild(child, { type: 'stop' });
  }
}
