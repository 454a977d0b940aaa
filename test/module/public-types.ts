import { dirname, join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');

/** The options the package is built with (tsconfig.build.json). */
export function buildOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.build.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath)).options;
}

/** Every file `npm run build` would write (.js, .js.map, .d.ts), by path, without writing them. */
export function emitBuild(): Map<string, string> {
  const program = ts.createProgram([join(root, 'lib', 'index.ts')], buildOptions());
  const files = new Map<string, string>();
  const result = program.emit(undefined, (path, text) => files.set(path, text));
  if (result.emitSkipped) throw new Error('emit failed');
  return files;
}

/**
 * Types that the shipped declarations name in a public or protected signature
 * but that `index.d.ts` does not export: a user can't write them down (to
 * override a protected member, or to type a value the API returns).
 */
export function unexportedPublicTypes(build: Map<string, string>): string[] {
  const declarations = new Map([...build].filter(([path]) => path.endsWith('.d.ts')));
  const options = buildOptions();
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (path) => declarations.get(path) ?? readFile(path);
  host.fileExists = (path) => declarations.has(path) || fileExists(path);
  const outDir = options.outDir!;
  const index = join(outDir, 'index.d.ts');
  const program = ts.createProgram([index], { ...options, noEmit: true }, host);
  const checker = program.getTypeChecker();
  const indexFile = program.getSourceFile(index)!;

  const exported = new Set<ts.Symbol>();
  for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(indexFile)!)) {
    exported.add(symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  }

  const ours = (declaration: ts.Declaration) =>
    declaration.getSourceFile().fileName.startsWith(outDir);
  const missing = new Set<string>();
  const seen = new Set<ts.Symbol>();

  function visitSymbol(symbol: ts.Symbol): void {
    if (seen.has(symbol)) return;
    seen.add(symbol);
    for (const declaration of symbol.declarations ?? []) {
      if (ours(declaration)) visitNode(declaration);
    }
  }

  function isHidden(node: ts.Node): boolean {
    if (!ts.canHaveModifiers(node)) return false;
    return (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
  }

  function visitNode(node: ts.Node): void {
    if (isHidden(node)) return;
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const name = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      let symbol = checker.getSymbolAtLocation(name);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const declaration = symbol?.declarations?.[0];
      if (
        symbol &&
        declaration &&
        ours(declaration) &&
        !(symbol.flags & ts.SymbolFlags.TypeParameter)
      ) {
        // A mixin's `declare const X_base` is a value the emitter made up, not a type to name.
        const nameable = symbol.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Enum);
        if (nameable && !exported.has(symbol)) missing.add(symbol.getName());
        visitSymbol(symbol);
      }
    }
    if (ts.isTypeQueryNode(node)) {
      const symbol = checker.getSymbolAtLocation(node.exprName);
      if (symbol) visitSymbol(symbol);
    }
    ts.forEachChild(node, visitNode);
  }

  for (const symbol of exported) visitSymbol(symbol);
  return [...missing].sort();
}
