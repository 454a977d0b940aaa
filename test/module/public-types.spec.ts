import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { emitBuild, unexportedPublicTypes } from './public-types.js';

const root = join(import.meta.dirname, '..', '..');

/** What `npm run build` ships, checked on an in-memory build of lib/. */
describe('built package', () => {
  let build: Map<string, string>;
  beforeAll(() => {
    build = emitBuild();
  }, 120_000);

  it('exports every type a public or protected signature of the package names', () => {
    expect(unexportedPublicTypes(build)).toEqual([]);
  }, 120_000);

  it('ships source maps that carry their sources (lib/ is not shipped)', () => {
    const maps = [...build].filter(([path]) => path.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(20);
    for (const [path, text] of maps) {
      const map = JSON.parse(text) as { sources: string[]; sourcesContent?: string[] };
      expect(map.sources).toHaveLength(1);
      const source = resolve(dirname(path), map.sources[0]!);
      expect(source.startsWith(join(root, 'lib'))).toBe(true);
      expect(map.sourcesContent).toEqual([readFileSync(source, 'utf8')]);
    }
  });
});
