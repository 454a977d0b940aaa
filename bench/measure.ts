import type { ChildProcess } from 'node:child_process';
import { forkScript, nextMessage, stopChild } from './child-process.js';
import type { HostMessage, LoadResult, LoadSettings } from './ipc-messages.js';
import { CONNECTIONS, REGISTRATION_BODY } from './payload.js';
import type { ScenarioDefinition, ScenarioRequest, ScenarioServer } from './scenario.js';

export interface RunSettings {
  durationSeconds: number;
  warmupSeconds: number;
  /** Extra node flags for server processes (e.g. --cpu-prof). */
  serverExecArgv: (scenario: ScenarioDefinition) => string[];
}

export interface Measurement extends LoadResult {
  maxRssBytes: number;
  /**
   * Server CPU time (user + system) per request during the measured load:
   * steadier than requests/s when other work shares the machine.
   */
  cpuMicrosPerRequest: number;
}

const isHostMessage = (message: unknown): message is HostMessage =>
  typeof message === 'object' && message !== null && 'type' in message;

/** Starts a scenario's server in its own process (server-host.ts); stop it with stopChild. */
export async function startHost(
  scenario: ScenarioDefinition,
  settings: RunSettings,
): Promise<{ child: ChildProcess; server: ScenarioServer }> {
  const { child, stderr } = forkScript(
    './server-host.js',
    [scenario.server, JSON.stringify(scenario.params ?? {})],
    settings.serverExecArgv(scenario),
  );
  try {
    const message = await nextMessage(
      child,
      (m): m is HostMessage => isHostMessage(m) && (m.type === 'ready' || m.type === 'failed'),
      scenario.startTimeoutMs ?? 60_000,
      `${scenario.id} start-up`,
    );
    if (message.type === 'failed') throw new Error(message.message);
    if (message.type !== 'ready') throw new Error(`unexpected message ${message.type}`);
    const { type: _type, ...server } = message;
    return { child, server };
  } catch (error) {
    await stopChild(child);
    const detail = stderr().trim();
    throw new Error(`${(error as Error).message}${detail ? `\n${detail}` : ''}`, {
      cause: error,
    });
  }
}

/** The request a scenario is loaded with: the registration body unless the server names another. */
function requestOf(server: ScenarioServer): ScenarioRequest {
  return (
    server.request ?? {
      body: REGISTRATION_BODY,
      contentType: 'application/json',
      expectedStatus: 201,
    }
  );
}

/** One request before the load, at every instance: each must answer it as expected. */
async function checkAnswers(server: ScenarioServer): Promise<void> {
  const { body, contentType, expectedStatus } = requestOf(server);
  for (const url of [server.url, ...(server.moreUrls ?? [])]) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType, ...server.headers },
      body,
    });
    if (response.status !== expectedStatus) {
      throw new Error(
        `expected ${expectedStatus}, got ${response.status}: ${(await response.text()).slice(0, 300)}`,
      );
    }
  }
}

/**
 * Loads the server for `durationSeconds`, or, given single-use bodies, until
 * each is answered once.
 */
export async function generateLoad(
  server: ScenarioServer,
  durationSeconds: number,
  oneShotBodies?: string[],
): Promise<LoadResult> {
  const { child, stderr } = forkScript('./load-generator.js', []);
  const { body, contentType, expectedStatus, cycledBodies } = requestOf(server);
  const settings: LoadSettings = {
    urls: [server.url, ...(server.moreUrls ?? [])],
    headers: server.headers ?? {},
    body,
    contentType,
    expectedStatus,
    connections: CONNECTIONS,
    durationSeconds,
    oneShotBodies,
    cycledBodies,
  };
  child.send(settings);
  try {
    return await nextMessage(
      child,
      (m): m is LoadResult => typeof m === 'object' && m !== null && 'requestsPerSecond' in m,
      (durationSeconds + 30) * 1000,
      'load generator',
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${stderr().trim()}`, { cause: error });
  } finally {
    await stopChild(child);
  }
}

/** Refuses a load in which any answer was not the expected one: it is no throughput. */
function checkLoad(load: LoadResult, expectedStatus: number, what: string): LoadResult {
  if (load.unexpectedStatus > 0 || load.errors > 0 || load.timeouts > 0) {
    throw new Error(
      `${what}: ${load.unexpectedStatus} answers not ${expectedStatus}, ` +
        `${load.errors} errors, ${load.timeouts} timeouts`,
    );
  }
  return load;
}

/** Single-use bodies dealt to the warm-up and the measured load in proportion to their seconds. */
function dealOneShot(
  bodies: string[] | undefined,
  warmupSeconds: number,
  durationSeconds: number,
): { warmup?: string[]; measured?: string[] } {
  if (!bodies) return {};
  const warmupCount = Math.floor(
    (bodies.length * warmupSeconds) / (warmupSeconds + durationSeconds),
  );
  // autocannon gives every connection at least one request.
  if (
    bodies.length - warmupCount < CONNECTIONS ||
    (warmupSeconds > 0 && warmupCount < CONNECTIONS)
  ) {
    throw new Error(`${bodies.length} single-use bodies: too few for ${CONNECTIONS} connections`);
  }
  return { warmup: bodies.slice(0, warmupCount), measured: bodies.slice(warmupCount) };
}

/** Starts the scenario's server in its own process, warms it up, loads it, reads its peak RSS. */
export async function measureScenario(
  scenario: ScenarioDefinition,
  settings: RunSettings,
): Promise<Measurement> {
  const { child, server } = await startHost(scenario, settings);
  try {
    await checkAnswers(server);
    const { expectedStatus, oneShotBodies } = requestOf(server);
    const warmupSeconds = Math.max(settings.warmupSeconds, scenario.minWarmupSeconds ?? 0);
    const dealt = dealOneShot(oneShotBodies, warmupSeconds, settings.durationSeconds);
    if (warmupSeconds > 0) {
      checkLoad(await generateLoad(server, warmupSeconds, dealt.warmup), expectedStatus, 'warm-up');
    }
    child.send({ type: 'mark-cpu' });
    const load = checkLoad(
      await generateLoad(server, settings.durationSeconds, dealt.measured),
      expectedStatus,
      'load',
    );
    child.send({ type: 'report-usage' });
    const usage = await nextMessage(
      child,
      (m): m is Extract<HostMessage, { type: 'usage' }> => isHostMessage(m) && m.type === 'usage',
      10_000,
      `${scenario.id} usage`,
    );
    return {
      ...load,
      maxRssBytes: usage.maxRssBytes,
      cpuMicrosPerRequest: usage.cpuMicrosSinceMark / Math.max(1, load.totalRequests),
    };
  } finally {
    await stopChild(child, { type: 'stop' });
  }
}
