import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

/** The published package must be sound: exports that exist, every import of lib/ declared. */
const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  type: string;
  files: string[];
  exports: Record<string, { types: string; default: string } | string>;
  license: string;
  engines: { node: string };
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('package manifest', () => {
  it('is an ESM package shipping only dist', () => {
    expect(manifest.name).toBe('nestjs-dcr');
    expect(manifest.type).toBe('module');
    expect(manifest.files).toEqual(['dist']);
    // require(esm) unflagged: 20.19+, 22.12+, 23.0+ (23 is end of life, so 24 on).
    expect(manifest.engines.node).toBe('^20.19.0 || ^22.12.0 || >=24');
  });

  it('states its dependencies as ranges, never exact pins, so an app shares its copies', () => {
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
    expect(Object.keys(ranges).length).toBeGreaterThan(0);
    for (const [name, range] of Object.entries(ranges)) {
      expect([name, /^[\d]/.test(range)]).toEqual([name, false]);
    }
  });

  it('takes @nestjs/passport and passport from the app (one copy), passport-jwt as its own', () => {
    expect(manifest.peerDependencies['@nestjs/passport']).toBe('^11.0.0 || ^12.0.0');
    expect(manifest.peerDependencies.passport).toBeDefined();
    expect(manifest.dependencies['@nestjs/passport']).toBeUndefined();
    expect(manifest.dependencies.passport).toBeUndefined();
    expect(manifest.dependencies['passport-jwt']).toBeDefined();
  });

  it('carries the MIT license its manifest names', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(manifest.license).toBe('MIT');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} nestjs-dcr contributors\n/);
  });

  it('exports the built entry point and its types, which lib/index.ts compiles to', () => {
    expect(manifest.exports['.']).toEqual({
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'lib', outDir: 'dist' });
    expect(existsSync(join(root, 'lib', 'index.ts'))).toBe(true);
  });

  it('declares every package that lib/ imports as a dependency or peer dependency', () => {
    const declared = new Set([
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.peerDependencies),
    ]);
    const imported = new Set<string>();
    for (const file of sourceFiles(join(root, 'lib'))) {
      const source = readFileSync(file, 'utf8');
      for (const [, specifier] of source.matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)) {
        if (!specifier!.startsWith('node:') && !builtinModules.includes(specifier!)) {
          imported.add(packageName(specifier!));
        }
      }
    }
    expect(imported.size).toBeGreaterThan(0);
    expect([...imported].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('marks optional peers (database drivers) as optional', () => {
    for (const [name, meta] of Object.entries(manifest.peerDependenciesMeta ?? {})) {
      expect(manifest.peerDependencies[name]).toBeDefined();
      expect(meta.optional).toBe(true);
    }
  });
});
