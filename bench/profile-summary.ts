import { readFile } from 'node:fs/promises';

// `node .bench/bench/profile-summary.js <file.cpuprofile> [top]`: where a
// server's CPU time went (BENCH_CPU_PROF=1 writes one profile per scenario).
// Prints self time per package and per function, and inclusive time per function.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Who owns a frame: a package under node_modules, this repo's lib/, Node itself, or V8. */
function owner(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node core';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1] as string;
  const local = /\.bench\/(lib|bench)\//.exec(url);
  return local ? `${local[1]}/` : url;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*node_modules\//, '').replace(/^.*\.bench\//, '');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

function top(map: Map<string, number>, total: number, count: number): string[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
}

const [file, topArg = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) =>
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
);

const parent = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);

const byOwner = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const inclusiveByFunction = new Map<string, number>();
let total = 0;
for (const [id, us] of self) {
  const node = nodes.get(id) as ProfileNode;
  total += us;
  const name = frameName(node);
  const who = owner(node.callFrame.url, node.callFrame.functionName);
  byOwner.set(who, (byOwner.get(who) ?? 0) + us);
  selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + us);
  // Each sample counts once per distinct function on its stack.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = frameName(nodes.get(at) as ProfileNode);
    if (seen.has(frame)) continue;
    seen.add(frame);
    inclusiveByFunction.set(frame, (inclusiveByFunction.get(frame) ?? 0) + us);
  }
}
const count = Number(topArg);
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nself time by owner:\n' + top(byOwner, total, count).join('\n'));
console.log('\nself time by function:\n' + top(selfByFunction, total, count).join('\n'));
console.log('\ninclusive time by function:\n' + top(inclusiveByFunction, total, count).join('\n'));
