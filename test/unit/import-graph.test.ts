import path from 'node:path';
import { importCycles, importGraph, layerOf, wrongWayImports } from '../../scripts/import-graph';

/**
 * Imports run one way, downward (docs/architecture.md §2): helpers, cores,
 * services, apps. The debt of issue 13 is paid — no wrong-way import, no
 * cycle — and the lists stay empty: a new wrong-way import or any cycle
 * fails the test suite.
 */
const KNOWN_WRONG_WAY: string[] = [];
const KNOWN_CYCLE: string[] = [];

describe('the import graph of src/', () => {
  const graph = importGraph(path.resolve(__dirname, '..', '..', 'src'));

  it('places every folder of src/ in a layer', () => {
    for (const unit of graph.keys()) expect(() => layerOf(unit)).not.toThrow();
  });

  it('keeps helpers and cores free of anything above them: they do no I/O of their own and know no service', () => {
    for (const [unit, targets] of graph) {
      if (layerOf(unit) > 1) continue;
      expect({ unit, above: [...targets].filter((t) => layerOf(t) > layerOf(unit)) }).toEqual({ unit, above: [] });
    }
  });

  it('has no wrong-way import beyond the known debt', () => {
    const wrong = wrongWayImports(graph);
    expect(wrong.filter((edge) => !KNOWN_WRONG_WAY.includes(edge))).toEqual([]);
  });

  it('has no cycle at all', () => {
    expect(importCycles(graph).flat()).toEqual(KNOWN_CYCLE);
  });

  it('detects what it guards against (a made-up graph with an upward import and a cycle)', () => {
    const made = new Map<string, Set<string>>([['routing', new Set(['db'])], ['db', new Set(['routing', 'api'])], ['api', new Set(['db'])]]);
    expect(wrongWayImports(made)).toEqual(['db -> api', 'routing -> db']);
    expect(importCycles(made)).toEqual([['api', 'db', 'routing']]);
  });
});
