import type { HarnessMessage, HostMessage } from './ipc-messages.js';
import { processUsage } from './process-usage.js';
import type { StartServer } from './scenario.js';

/**
 * Child process entry: `node server-host.js <server module> <params JSON>`.
 * Starts one scenario's server and answers the harness over IPC, so every
 * scenario gets a fresh heap and its own peak RSS.
 */
function send(message: HostMessage): void {
  process.send?.(message);
}

/** The processes that serve, when the server module spawned them (else this one). */
let servingPids: number[] | undefined;
let cpuAtMark = process.cpuUsage();
let spawnedCpuAtMark = 0;
process.on('message', (message: HarnessMessage) => {
  if (message.type === 'mark-cpu') {
    cpuAtMark = process.cpuUsage();
    if (servingPids) spawnedCpuAtMark = processUsage(servingPids).cpuMicros;
  } else if (message.type === 'report-usage') {
    if (servingPids) {
      const usage = processUsage(servingPids);
      send({
        type: 'usage',
        maxRssBytes: usage.peakRssBytes,
        cpuMicrosSinceMark: usage.cpuMicros - spawnedCpuAtMark,
      });
      return;
    }
    const cpu = process.cpuUsage(cpuAtMark);
    // resourceUsage().maxRSS is in kilobytes.
    send({
      type: 'usage',
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      cpuMicrosSinceMark: cpu.user + cpu.system,
    });
  } else if (message.type === 'stop') {
    // A normal exit, so --cpu-prof writes its profile.
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
// The harness stops a row whose start-up timed out with SIGTERM: exiting
// normally runs the exit handlers, which stop the hosts a server module spawned.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(1));

const [serverModule, paramsJson = '{}'] = process.argv.slice(2);
try {
  const moduleUrl = new URL(`./servers/${serverModule}`, import.meta.url);
  const { startServer } = (await import(moduleUrl.href)) as { startServer: StartServer };
  const server = await startServer(JSON.parse(paramsJson) as Record<string, string>);
  servingPids = server.processIds;
  send({ type: 'ready', ...server });
} catch (error) {
  send({
    type: 'failed',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
  process.disconnect?.();
}
