import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * `nestjs-dcr/oidc-provider` as a consumer gets it: built from lib/ into a
 * package of its own, imported by name from another project that has no
 * declarations for oidc-provider, and never loaded by the main entry.
 */
const root = join(import.meta.dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const CONSUMER = `
import { InMemoryClientStore, type ClientStore } from 'nestjs-dcr';
import {
  dcrProviderAdapter,
  openProviderState,
  useHashedClientSecrets,
  type OidcAdapterFactory,
  type ProviderState,
} from 'nestjs-dcr/oidc-provider';

/** What an app holding an oidc-provider Provider (with or without @types/oidc-provider) passes. */
interface SomeProvider {
  readonly Client: {
    prototype: { readonly clientSecret?: string; compareClientSecret(presented: string): Promise<boolean> };
  };
}

export async function wire(store: ClientStore, provider: SomeProvider): Promise<OidcAdapterFactory> {
  const state: ProviderState = await openProviderState(store, { sweepIntervalSeconds: 60 });
  useHashedClientSecrets(provider);
  return dcrProviderAdapter(store, { state });
}

export const memoryOnly: OidcAdapterFactory = dcrProviderAdapter(new InMemoryClientStore());
`;

/** Every module the built file at `entry` loads, following relative imports (static and dynamic). */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/(?:from|import\(|import)\s*'([^']+)'/g)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!));
      else packages.add(specifier!);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the nestjs-dcr/oidc-provider entry point', () => {
  let dir: string;
  let pkg: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dcr-entry-'));
    pkg = join(dir, 'nestjs-dcr');
    mkdirSync(pkg);
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    // The package's own dependencies, as an install would provide them.
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
    execFileSync(
      process.execPath,
      [tsc, '-p', 'tsconfig.build.json', '--outDir', join(pkg, 'dist')],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-checks in a consumer that has no declarations for oidc-provider', () => {
    const consumer = join(dir, 'consumer');
    mkdirSync(join(consumer, 'node_modules', '@types'), { recursive: true });
    symlinkSync(pkg, join(consumer, 'node_modules', 'nestjs-dcr'));
    symlinkSync(
      join(root, 'node_modules', '@types', 'node'),
      join(consumer, 'node_modules', '@types', 'node'),
    );
    writeFileSync(join(consumer, 'consumer.ts'), CONSUMER);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ type: 'module' }));
    expect(() =>
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], {
        cwd: consumer,
        encoding: 'utf8',
      }),
    ).not.toThrow();
  }, 120_000);

  it('loads oidc-provider; the main entry never does', () => {
    const main = importGraph(join(pkg, 'dist', 'index.js'));
    const entry = importGraph(join(pkg, 'dist', 'oidc-provider', 'index.js'));
    expect(main.files.size).toBeGreaterThan(10);
    expect([...main.packages].filter((name) => name.startsWith('oidc-provider'))).toEqual([]);
    expect(
      [...main.files].filter((file) => file.includes(`${join('dist', 'oidc-provider')}`)),
    ).toEqual([]);
    expect([...entry.packages]).toContain('oidc-provider/lib/adapters/memory_adapter.js');
  });

  it('is exported as ./oidc-provider with its types, oidc-provider an optional peer', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    expect(manifest.exports['./oidc-provider']).toEqual({
      types: './dist/oidc-provider/index.d.ts',
      default: './dist/oidc-provider/index.js',
    });
    expect(manifest.peerDependencies['oidc-provider']).toBe('^9.0.0');
    expect(manifest.peerDependenciesMeta['oidc-provider']).toEqual({ optional: true });
  });
});
