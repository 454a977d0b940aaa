import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');

/** The ```ts blocks of the README, in order. */
function readmeExamples(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

/**
 * Type-checks every block as its own module, as a user would paste it into a
 * file of a strict NodeNext project with `nestjs-dcr` installed (mapped to lib/).
 */
function typeErrors(examples: string[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: true,
    types: ['node'],
    baseUrl: root,
    paths: {
      'nestjs-dcr': ['lib/index.ts'],
      'nestjs-dcr/oidc-provider': ['lib/oidc-provider/index.ts'],
    },
  };
  const files = new Map(
    // `export {}` keeps each block a module of its own even when it imports nothing.
    examples.map((code, i) => [join(root, `readme-example-${i + 1}.ts`), `${code}export {};\n`]),
  );
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (path) => files.has(path) || fileExists(path);
  host.readFile = (path) => files.get(path) ?? ts.sys.readFile(path);
  host.getSourceFile = (path, language, ...rest) => {
    const code = files.get(path);
    return code === undefined
      ? getSourceFile(path, language, ...rest)
      : ts.createSourceFile(path, code, language, true);
  };
  // oidc-provider ships no types: the examples see the host's declarations, as an app sees its own.
  const oidcProviderTypes = join(root, 'sample-app', 'oidc-provider.d.ts');
  const program = ts.createProgram([...files.keys(), oidcProviderTypes], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && files.has(diagnostic.file.fileName))
    .map((diagnostic) => {
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const name = diagnostic.file!.fileName.slice(root.length + 1);
      return `${name}:${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
}

/** The Jest settings the README gives CommonJS apps, which the consumer test runs. */
function readmeJestFix(): unknown {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('**Jest in a CommonJS app.**'));
  return JSON.parse(/^```json\n([\s\S]*?)^```$/m.exec(section)![1]!);
}

describe('README examples', () => {
  it('give CommonJS apps the Jest settings the consumer test proves', () => {
    const e2e = JSON.parse(
      readFileSync(
        join(root, 'test', 'consumers', 'apps', 'nest11-cjs-express', 'test', 'jest-e2e.json'),
        'utf8',
      ),
    ) as { transform: unknown; transformIgnorePatterns: unknown };
    expect(readmeJestFix()).toEqual({
      transform: e2e.transform,
      transformIgnorePatterns: e2e.transformIgnorePatterns,
    });
  });

  it('compile as written (each ```ts block, strict TypeScript)', () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(9);
    expect(typeErrors(examples)).toEqual([]);
  }, 120_000);
});
