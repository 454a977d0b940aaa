import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** Compiles the host as `npm start` does. */
export function buildHost(): void {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'sample-app/tsconfig.json'],
    { cwd: root, stdio: 'inherit' },
  );
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A host running as a child process, with everything it wrote. */
export interface Host {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals>;
  stop(): Promise<number | NodeJS.Signals>;
}

/** Only the given variables: nothing from the developer's shell leaks into the host. */
function hostEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, NO_COLOR: '1', ...env };
}

export function spawnHost(env: Record<string, string>): Host {
  const child = spawn(
    process.execPath,
    [join(root, 'sample-app', 'dist', 'sample-app', 'main.js')],
    {
      cwd: root,
      env: hostEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(
    ([code, signal]) => (code ?? signal) as number | NodeJS.Signals,
  );
  return {
    child,
    url: `http://127.0.0.1:${env.PORT ?? 3000}`,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Starts a host and waits until /health answers 200 (or the host exits). */
export async function startHost(env: Record<string, string>): Promise<Host> {
  const host = spawnHost(env);
  let ended = false;
  void host.exited.then(() => (ended = true));
  for (;;) {
    if (ended) throw new Error(`host exited during start-up:\n${host.output()}`);
    const healthy = await fetch(`${host.url}/health`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (healthy) return host;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
