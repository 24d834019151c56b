// The folder import graph of src/ and the layer rule it must follow (docs/architecture.md §2).
// `npm run imports` prints it; test/unit/import-graph.test.ts fails on a new wrong-way import or cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Layers, lowest first: a folder may import its own layer and the ones below, never above. */
export const LAYERS: ReadonlyArray<{ name: string; folders: readonly string[] }> = [
  { name: 'helpers', folders: ['errors', 'config', 'platform', 'network', 'types', 'logger'] },
  { name: 'cores', folders: ['routing', 'ivr', 'staffing', 'campaigns', 'quality'] },
  { name: 'services', folders: ['acd', 'auth', 'call-monitoring', 'calls', 'db', 'directory', 'media', 'reports', 'supervisor', 'tls', 'sip'] },
  { name: 'apps', folders: ['api', 'web', 'runtime', 'main'] },
];

/** The unit a file belongs to: its top folder under src/, or its own name for a file at the top (main, logger). */
export function unitOf(srcRoot: string, file: string): string {
  const rel = path.relative(srcRoot, file);
  const [first = ''] = rel.split(path.sep);
  if (rel.includes(path.sep)) return first;
  const name = first.replace(/\.tsx?$/, '');
  return name === 'prepare-tls' ? 'main' : name;
}

export function layerOf(unit: string): number {
  const index = LAYERS.findIndex((l) => l.folders.includes(unit));
  if (index < 0) throw new Error(`src/${unit} is in no layer: add it to LAYERS in scripts/import-graph.ts`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g;

/** unit → the units it imports (relative imports only; packages are not ours). */
export function importGraph(srcRoot: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(srcRoot)) {
    const from = unitOf(srcRoot, file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), match[1]!);
      if (path.relative(srcRoot, target).startsWith('..')) continue;
      const to = unitOf(srcRoot, `${target}.ts`);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Imports that run upward (a lower layer importing a higher one), as `from -> to`. */
export function wrongWayImports(graph: Map<string, Set<string>>): string[] {
  return [...graph].flatMap(([from, tos]) => [...tos].filter((to) => layerOf(to) > layerOf(from)).map((to) => `${from} -> ${to}`)).sort();
}

/** Groups of units that import each other in a circle (strongly connected components of two or more; Tarjan). */
export function importCycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (unit: string): void => {
    index.set(unit, next);
    low.set(unit, next);
    next += 1;
    stack.push(unit);
    onStack.add(unit);
    for (const to of graph.get(unit) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(unit, Math.min(low.get(unit)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(unit, Math.min(low.get(unit)!, index.get(to)!));
      }
    }
    if (low.get(unit) === index.get(unit)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== unit);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const unit of [...graph.keys()].sort()) if (!index.has(unit)) visit(unit);
  return groups.sort((a, b) => a.join().localeCompare(b.join()));
}

if (require.main === module) {
  const srcRoot = path.resolve(__dirname, '..', 'src');
  const graph = importGraph(srcRoot);
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  for (const layer of [...LAYERS].reverse()) {
    out(`${layer.name}:`);
    for (const unit of layer.folders.filter((u) => graph.has(u))) out(`  ${unit.padEnd(11)} -> ${[...graph.get(unit)!].sort().join(', ') || '(nothing of ours)'}`);
  }
  const wrong = wrongWayImports(graph);
  out(`wrong-way imports (${wrong.length}): ${wrong.join('; ') || 'none'}`);
  const cycles = importCycles(graph);
  out(`cycles (${cycles.length}): ${cycles.map((c) => c.join(' ⇄ ')).join('; ') || 'none'}`);
}
