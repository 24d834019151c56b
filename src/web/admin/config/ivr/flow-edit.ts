import type { FlowDocument, FlowNode } from '../../../../ivr/flow-document';
import { nodeEdges } from '../../../../ivr/flow-graph';
import type { Issue } from '../shared/versioned-config-api';

export type NodeType = FlowNode['type'];
export const NODE_TYPES: readonly NodeType[] = ['play', 'menu', 'collect', 'business_hours', 'branch', 'set', 'route', 'callback', 'hangup'];

/**
 * Editing helpers for an IVR flow document. The browser never decides whether
 * a flow is valid — the server's validator does — these only keep edits
 * consistent (a renamed node keeps its incoming branches).
 */

/** Which node a validator path is about: `nodes.main_menu.options.3` → main_menu; null for flow-level paths. */
export function nodeOfPath(path: string): string | null {
  const match = /^nodes\.([A-Za-z][A-Za-z0-9_]*)/.exec(path);
  return match?.[1] ?? null;
}

/** The part of the path inside the node: `options.3`; empty for the node itself. */
export function fieldOfPath(path: string): string {
  return path.replace(/^nodes\.[A-Za-z][A-Za-z0-9_]*\.?/, '');
}

export function issuesByNode(issues: readonly Issue[]): { byNode: Map<string, Issue[]>; flow: Issue[] } {
  const byNode = new Map<string, Issue[]>();
  const flow: Issue[] = [];
  for (const issue of issues) {
    const node = nodeOfPath(issue.path);
    if (node) byNode.set(node, [...(byNode.get(node) ?? []), issue]);
    else flow.push(issue);
  }
  return { byNode, flow };
}

/** A new node of a type with every branch the validator asks for, pointing at `fallback`. */
export function newNode(type: NodeType, fallback: string, prompt: string): FlowNode {
  switch (type) {
    case 'play':
      return { type, prompts: [prompt], next: fallback, bargeIn: true };
    case 'menu':
      return { type, prompts: [prompt], options: { '1': fallback }, timeoutMs: 6000, maxRetries: 2, onTimeout: fallback, onInvalid: fallback, onMaxRetries: fallback, bargeIn: true };
    case 'collect':
      return { type, prompts: [prompt], variable: 'digits', minLength: 1, maxLength: 8, terminator: '#', timeoutMs: 6000, maxRetries: 2, next: fallback, onTimeout: fallback, onInvalid: fallback, onMaxRetries: fallback };
    case 'business_hours':
      return { type, open: fallback, closed: fallback };
    case 'branch':
      return { type, cases: [{ when: { known: true }, next: fallback }], otherwise: fallback };
    case 'set':
      return { type, variable: 'topic', value: '', next: fallback };
    case 'route':
      return { type, intent: 'operator' };
    case 'callback':
      return { type, prompts: [prompt], acceptKey: '1', timeoutMs: 6000, onAccepted: fallback, onDeclined: fallback, bargeIn: true };
    case 'hangup':
      return { type };
  }
}

/** The same node with every reference to another node passed through `map`. */
export function mapTargets(node: FlowNode, map: (id: string) => string): FlowNode {
  const m = (id: string | undefined): string | undefined => (id === undefined ? undefined : map(id));
  const copy = { ...node } as Record<string, unknown>;
  for (const field of ['next', 'open', 'closed', 'otherwise', 'onTimeout', 'onInvalid', 'onMaxRetries', 'onAccepted', 'onDeclined']) {
    if (typeof copy[field] === 'string') copy[field] = m(copy[field]);
  }
  if (node.type === 'menu') copy.options = Object.fromEntries(Object.entries(node.options).map(([k, v]) => [k, map(v)]));
  if (node.type === 'branch') copy.cases = node.cases.map((c) => ({ ...c, next: map(c.next) }));
  return copy as FlowNode;
}

export function renameNode(flow: FlowDocument, from: string, to: string): FlowDocument {
  const rename = (id: string): string => (id === from ? to : id);
  const nodes: FlowDocument['nodes'] = {};
  for (const [id, node] of Object.entries(flow.nodes)) nodes[rename(id)] = mapTargets(node, rename);
  return { ...flow, start: rename(flow.start), nodes };
}

export function removeNode(flow: FlowDocument, id: string): FlowDocument {
  const nodes = { ...flow.nodes };
  delete nodes[id];
  return { ...flow, nodes };
}

export function replaceNode(flow: FlowDocument, id: string, node: FlowNode): FlowDocument {
  return { ...flow, nodes: { ...flow.nodes, [id]: node } };
}

/** One line of the outline: a node reached from its parent through `via` (`1`, `onTimeout`, `next`). */
export interface OutlineRow {
  id: string;
  via: string | null;
  depth: number;
  /** Already shown higher up: a back-reference, not expanded again. */
  repeat: boolean;
  missing: boolean;
}

/** The flow as an indented tree from its start; nodes already shown appear again only as references. */
export function outline(flow: FlowDocument): { rows: OutlineRow[]; unreachable: string[] } {
  const rows: OutlineRow[] = [];
  const shown = new Set<string>();
  const walk = (id: string, via: string | null, depth: number): void => {
    const node = flow.nodes[id];
    if (!node) {
      rows.push({ id, via, depth, repeat: false, missing: true });
      return;
    }
    if (shown.has(id)) {
      rows.push({ id, via, depth, repeat: true, missing: false });
      return;
    }
    shown.add(id);
    rows.push({ id, via, depth, repeat: false, missing: false });
    for (const edge of nodeEdges(node)) walk(edge.to, edge.field, depth + 1);
  };
  walk(flow.start, null, 0);
  return { rows, unreachable: Object.keys(flow.nodes).filter((id) => !shown.has(id)) };
}

/** A fresh node id not used yet: `node_2`, `node_3`… */
export function freshId(flow: FlowDocument, stem: string): string {
  let n = 1;
  while (flow.nodes[`${stem}_${n}`]) n++;
  return `${stem}_${n}`;
}
