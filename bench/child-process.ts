import { fork, type ChildProcess } from 'node:child_process';

/** Forks a compiled bench script with an IPC channel; stderr is kept for error reports. */
export function forkScript(
  script: string,
  args: string[],
  execArgv: string[] = [],
): { child: ChildProcess; stderr: () => string } {
  const child = fork(new URL(script, import.meta.url), args, {
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return { child, stderr: () => stderr };
}

/** The child's next message that `accept` takes; rejects on exit or after `timeoutMs`. */
export function nextMessage<T>(
  child: ChildProcess,
  accept: (message: unknown) => message is T,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: unknown): void => {
      if (!accept(message)) return;
      done();
      resolve(message);
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`${what}: the child process exited (code ${code}) before answering`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Ends a child we started: asks it to exit, kills it if it does not. */
export async function stopChild(child: ChildProcess, message?: object): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (message && child.connected) child.send(message);
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
