import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../sample-app/host.js';

const root = join(import.meta.dirname, '..', '..');
const apps = join(import.meta.dirname, 'apps');
const run = promisify(execFile);

/** npm with the registry, quiet; stdout returned, failures throw with npm's output. */
async function npm(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('npm', [...args, '--no-audit', '--no-fund'], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_ENV: 'development' },
  });
  return stdout;
}

/** Boots an app's built main.js and waits for its "listening" line. */
async function boot(dir: string, main: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [main], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: String(port), PUBLIC_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) resolve();
    });
    void exited.then(() => reject(new Error(`app exited during start-up:\n${output}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function post(
  url: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, string> }> {
  const res = await fetch(`${url}/connect/dcr`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

const MACHINE = {
  client_name: 'consumer',
  grant_types: ['client_credentials'],
  response_types: [],
};

/**
 * The package as users get it: `npm pack`, then installed with `npm ci` (the
 * app's lock file, from the registry) plus the tarball into apps made like
 * real ones. Each builds with its own tsc (type-checking a user class that
 * replaces SoftwareStatementValidator and one that replaces a metadata step),
 * boots, registers a client (201) and reads it back with RFC 7592 (200).
 */
describe('nestjs-dcr installed from its tarball', () => {
  let work: string;
  let tarball: string;
  let packedFiles: string[];
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'dcr-consumers-'));
    await npm(root, 'run', 'build');
    const [packed] = JSON.parse(await npm(root, 'pack', '--json', '--pack-destination', work)) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(work, packed!.filename);
    packedFiles = packed!.files.map((file) => file.path);
  }, 300_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('packs dist, the manifest, README and LICENSE only', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    expect(packedFiles).toContain('dist/index.js');
    expect(packedFiles).toContain('dist/index.d.ts');
    const outside = packedFiles.filter(
      (path) =>
        !path.startsWith('dist/') && !['LICENSE', 'README.md', 'package.json'].includes(path),
    );
    expect(outside).toEqual([]);
    expect(packedFiles.filter((path) => path.endsWith('.spec.js'))).toEqual([]);
  });

  async function install(name: string): Promise<string> {
    const dir = join(work, name);
    await cp(join(apps, name), dir, { recursive: true });
    await cp(join(apps, 'shared', 'src'), join(dir, 'src'), { recursive: true });
    await npm(dir, 'ci');
    await npm(dir, 'install', '--no-save', tarball);
    await npm(dir, 'run', 'build');
    return dir;
  }

  async function registersAndReadsBack(dir: string, main: string): Promise<void> {
    const app = await boot(dir, main);
    try {
      const created = await post(app.url, MACHINE);
      expect(created.status).toBe(201);
      const read = await fetch(created.json.registration_client_uri, {
        headers: { authorization: `Bearer ${created.json.registration_access_token}` },
      });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { client_id: string }).client_id).toBe(created.json.client_id);
      // The user's own classes are the ones wired in.
      const statement = await post(app.url, { ...MACHINE, software_statement: 'a.b.c' });
      expect([statement.status, statement.json.error]).toEqual([400, 'invalid_software_statement']);
      const admin = await post(app.url, { ...MACHINE, scope: 'openid admin' });
      expect([admin.status, admin.json.error]).toEqual([400, 'invalid_client_metadata']);
    } finally {
      await app.stop();
    }
  }

  /** Paths of every installed copy of a package. */
  async function copiesOf(dir: string, name: string): Promise<string[]> {
    const found: string[] = [];
    async function walk(modules: string): Promise<void> {
      const entries = await readdir(modules, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isDirectory()) continue;
        const path = join(modules, entry.name);
        if (entry.name.startsWith('@')) {
          await walk(path);
          continue;
        }
        const manifest = await readFile(join(path, 'package.json'), 'utf8').catch(() => '');
        if (manifest && (JSON.parse(manifest) as { name?: string }).name === name) found.push(path);
        await walk(join(path, 'node_modules'));
      }
    }
    await walk(join(dir, 'node_modules'));
    return found;
  }

  it('works in a Nest 11 CommonJS app on Express, and in its Jest e2e set up as nest new does', async () => {
    const dir = await install('nest11-cjs-express');
    await registersAndReadsBack(dir, 'dist/main.js');
    // The app's own @nestjs/passport 11 serves the package too: one copy.
    expect(await copiesOf(dir, '@nestjs/passport')).toHaveLength(1);
    expect(await copiesOf(dir, 'passport')).toHaveLength(1);
    // jest reports on stderr; a failing e2e rejects with its output.
    const e2e = await run('npx', ['jest', '--config', './test/jest-e2e.json'], { cwd: dir });
    expect(e2e.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
  }, 600_000);

  it('works in a Nest 11 ESM app on Express', async () => {
    const dir = await install('nest11-esm-express');
    await registersAndReadsBack(dir, 'dist/main.js');
  }, 600_000);

  it('works in a Nest 12 ESM app on Fastify', async () => {
    const dir = await install('nest12-esm-fastify');
    await registersAndReadsBack(dir, 'dist/main.js');
  }, 600_000);
});
