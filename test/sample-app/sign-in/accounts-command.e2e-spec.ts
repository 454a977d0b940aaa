import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHost, freePort, startHost } from '../host.js';
import { runAccounts } from './accounts-cli.js';

beforeAll(() => buildHost(), 120_000);

describe('npm run accounts (PGlite data directory)', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-accounts-'));
    env = { DCR_DATA_DIR: dataDir };
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds, lists, resets, disables and enables accounts, the password read from stdin', async () => {
    expect(await runAccounts(['add', 'Alice'], env, 'alice-password-0123\n')).toMatchObject({
      code: 0,
      stdout: 'created "alice"\n',
    });
    expect(
      (await runAccounts(['add', 'root', '--admin'], env, 'root-password-01234\n')).stdout,
    ).toBe('created administrator "root"\n');
    expect((await runAccounts(['reset', 'alice'], env, 'another-password-012\n')).code).toBe(0);
    expect((await runAccounts(['disable', 'alice'], env)).stdout).toBe('disabled "alice"\n');
    expect((await runAccounts(['list'], env)).stdout).toBe(
      'alice (disabled)\nroot (administrator)\n',
    );
    expect((await runAccounts(['enable', 'alice'], env)).stdout).toBe('enabled "alice"\n');
  }, 180_000);

  it('refuses bad input with a message and exit code 1, echoing no password', async () => {
    const short = await runAccounts(['add', 'bob'], env, 'short-pw\n');
    expect(short).toMatchObject({ code: 1 });
    expect(short.stderr).toContain('12 to 1024 characters');
    expect(short.stderr).not.toContain('short-pw');
    expect((await runAccounts(['add', 'alice'], env, 'alice-password-0123\n')).stderr).toContain(
      'already exists',
    );
    expect((await runAccounts(['reset', 'nobody'], env, 'x'.repeat(12))).stderr).toContain(
      'no account named "nobody"',
    );
    expect((await runAccounts(['add', 'bad name'], env)).code).toBe(1);
    expect((await runAccounts(['frobnicate'], env)).code).toBe(2);
  }, 180_000);

  it('refuses to open the PGlite directory while the host has it open', async () => {
    const host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_ADMIN_PASSWORD: 'admin-password-0123',
    });
    try {
      const refused = await runAccounts(['list'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('open in another process');
    } finally {
      await host.stop();
    }
    expect((await runAccounts(['list'], env)).stdout).toContain('admin (administrator)');
  }, 120_000);
});
