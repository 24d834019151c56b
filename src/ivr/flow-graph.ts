import type { FlowDocument, FlowNode } from './flow-document';

/** One outgoing reference of a node: the field it sits in, and the node it names. */
export interface FlowEdge {
  /** Relative to the node: `next`, `options.1`, `cases[0].next`. */
  readonly field: string;
  readonly to: string;
}

/** Every node a node can lead to (missing optional branches are simply absent). */
export function nodeEdges(node: FlowNode): FlowEdge[] {
  const edges: FlowEdge[] = [];
  const add = (field: string, to: string | undefined): void => {
    if (to !== undefined) edges.push({ field, to });
  };
  switch (node.type) {
    case 'play':
    case 'set':
      add('next', node.next);
      break;
    case 'menu':
      for (const [key, to] of Object.entries(node.options)) add(`options.${key}`, to);
      add('onTimeout', node.onTimeout);
      add('onInvalid', node.onInvalid);
      add('onMaxRetries', node.onMaxRetries);
      break;
    case 'collect':
      add('next', node.next);
      add('onTimeout', node.onTimeout);
      add('onInvalid', node.onInvalid);
      add('onMaxRetries', node.onMaxRetries);
      break;
    case 'business_hours':
      add('open', node.open);
      add('closed', node.closed);
      break;
    case 'branch':
      node.cases.forEach((c, i) => add(`cases[${i}].next`, c.next));
      add('otherwise', node.otherwise);
      break;
    case 'callback':
      add('onAccepted', node.onAccepted);
      add('onDeclined', node.onDeclined);
      break;
    case 'route':
    case 'hangup':
      break;
  }
  return edges;
}

/** Route and hang-up end a run. */
export function isTerminalNode(node: FlowNode): boolean {
  return node.type === 'route' || node.type === 'hangup';
}

/** Nodes that neither play a prompt nor wait: a cycle of only these spins without end. */
export function isInstantNode(node: FlowNode): boolean {
  return node.type === 'set' || node.type === 'branch' || node.type === 'business_hours';
}

/** Prompt ids a node plays, with their field path. */
export function nodePrompts(node: FlowNode): Array<{ field: string; promptId: string }> {
  if (!('prompts' in node)) return [];
  return node.prompts.map((promptId, i) => ({ field: `prompts[${i}]`, promptId }));
}

/** Node ids reachable from `start` following every edge (dangling edges ignored). */
export function reachableFrom(flow: FlowDocument, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    const node = flow.nodes[id];
    if (seen.has(id) || !node) continue;
    seen.add(id);
    for (const e of nodeEdges(node)) stack.push(e.to);
  }
  return seen;
}

/** Node ids from which some path reaches a route or hang-up node. */
export function canFinish(flow: FlowDocument): Set<string> {
  const incoming = new Map<string, string[]>();
  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const e of nodeEdges(node)) incoming.set(e.to, [...(incoming.get(e.to) ?? []), id]);
  }
  const done = new Set<string>();
  const stack = Object.entries(flow.nodes).filter(([, n]) => isTerminalNode(n)).map(([id]) => id);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (done.has(id)) continue;
    done.add(id);
    stack.push(...(incoming.get(id) ?? []));
  }
  return done;
}
