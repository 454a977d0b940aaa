import { setTimeout as sleep } from 'node:timers/promises';
import { stopChild } from './child-process.js';
import type { SoakResult } from './ipc-messages.js';
import { generateLoad, startHost, type RunSettings } from './measure.js';
import { processUsage } from './process-usage.js';
import { lowerMedian } from './report.js';
import type { ScenarioDefinition } from './scenario.js';

/** The host where memory grew under token load: PGlite, in the same process. */
const SOAK_SCENARIO: ScenarioDefinition = {
  id: 'token-soak-host-pglite',
  label: 'the host, token client_credentials, PGlite (soak)',
  adapter: 'koa',
  server: 'sample-host-token.js',
  params: { store: 'pglite' },
};

const SAMPLE_INTERVAL_MS = 1000;
/** A reading is the median (the lower middle, as for rounds) of the samples in the seconds before it: one sample lands wherever a GC cycle is. */
const READING_WINDOW_SECONDS = 10;

/**
 * One uninterrupted token load on the host for the last of `readingsSeconds`
 * (ascending), its RSS sampled every second; the reading at each point is the
 * median, with the range, of the samples in the window ending there.
 */
export async function measureTokenSoak(
  readingsSeconds: readonly number[],
  settings: RunSettings,
): Promise<SoakResult> {
  const { child, server } = await startHost(SOAK_SCENARIO, settings);
  try {
    const pids = server.processIds ?? [];
    const idleRssBytes = processUsage(pids).rssBytes;
    const samples: { atSeconds: number; rssBytes: number }[] = [];
    let loading = true;
    const startedAt = performance.now();
    const load = generateLoad(server, readingsSeconds[readingsSeconds.length - 1]).finally(() => {
      loading = false;
    });
    while (loading) {
      await sleep(SAMPLE_INTERVAL_MS);
      if (!loading) break;
      const atSeconds = (performance.now() - startedAt) / 1000;
      samples.push({ atSeconds, rssBytes: processUsage(pids).rssBytes });
    }
    const result = await load;
    if (result.unexpectedStatus > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(
        `soak: ${result.unexpectedStatus} unexpected answers, ${result.errors} errors, ` +
          `${result.timeouts} timeouts`,
      );
    }
    const readings = readingsSeconds.map((afterSeconds) => {
      const window = samples
        .filter(
          (s) => s.atSeconds <= afterSeconds && s.atSeconds > afterSeconds - READING_WINDOW_SECONDS,
        )
        .map((s) => s.rssBytes);
      if (window.length === 0) throw new Error(`soak: no RSS sample before ${afterSeconds} s`);
      return {
        afterSeconds,
        rssBytes: lowerMedian(window)!,
        minRssBytes: Math.min(...window),
        maxRssBytes: Math.max(...window),
      };
    });
    return { readings, idleRssBytes, requestsPerSecond: result.requestsPerSecond };
  } finally {
    await stopChild(child, { type: 'stop' });
  }
}
