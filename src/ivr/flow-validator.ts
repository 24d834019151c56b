import { childPath } from '../routing/json-path';
import { SchemaCheck } from '../routing/schema-check';
import type { ValidationIssue, ValidationResult } from '../routing/validation-result';
import { FlowDocumentSchema, type FlowDocument, type FlowNode, type PlayNode } from './flow-document';
import { canFinish, isInstantNode, nodeEdges, nodePrompts, reachableFrom } from './flow-graph';
import { PromptIndex, type PromptCatalogue } from './prompt-catalogue';

const flowCheck = new SchemaCheck(FlowDocumentSchema);
const KEY = /^[0-9*#]$/;

/**
 * Validates an IVR flow document against its schema and the prompt
 * catalogue. Refuses dangling node and prompt references, prompts missing in
 * any of the flow's languages, input nodes without timeout/invalid/max-retry
 * handling, unreachable nodes, nodes from which no path ends the call, and
 * loops that neither play nor wait. Issues point at the node:
 * `nodes.main_menu.options.4: unknown node 'ordr'`.
 */
export function validateFlow(document: unknown, catalogue: PromptCatalogue): ValidationResult<FlowDocument> {
  if (!flowCheck.check(document)) return { ok: false, errors: flowCheck.issues(document) };
  const flow = document;
  const prompts = new PromptIndex(catalogue);
  const issues: ValidationIssue[] = [];

  if (!flow.languages.includes(flow.defaultLanguage)) {
    issues.push({ path: 'defaultLanguage', message: `'${flow.defaultLanguage}' is not one of languages (${flow.languages.join(', ')})` });
  }
  if (!flow.nodes[flow.start]) issues.push({ path: 'start', message: `unknown node '${flow.start}'` });

  for (const [id, node] of Object.entries(flow.nodes)) {
    const at = childPath('nodes', id);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(id)) issues.push({ path: at, message: `'${id}' is not a valid node id` });
    for (const edge of nodeEdges(node)) {
      if (!flow.nodes[edge.to]) issues.push({ path: `${at}.${edge.field}`, message: `unknown node '${edge.to}'` });
    }
    for (const { field, promptId } of nodePrompts(node)) {
      const where = `${at}.${field}`;
      if (!prompts.ids.has(promptId)) {
        issues.push({ path: where, message: `unknown prompt '${promptId}'` });
        continue;
      }
      for (const language of flow.languages) {
        if (!prompts.find(promptId, language)) issues.push({ path: where, message: `prompt '${promptId}' has no '${language}' version` });
      }
    }
    if (node.type === 'play') issues.push(...checkVariants(node, at, prompts));
    issues.push(...checkInputHandling(node, at));
  }
  if (issues.length > 0) return { ok: false, errors: issues };

  // Graph checks only make sense once every reference resolves.
  const reachable = reachableFrom(flow, flow.start);
  const finishing = canFinish(flow);
  for (const id of Object.keys(flow.nodes)) {
    const at = childPath('nodes', id);
    if (!reachable.has(id)) issues.push({ path: at, message: `unreachable from start '${flow.start}'` });
    else if (!finishing.has(id)) issues.push({ path: at, message: 'loop with no exit: no path from here reaches a route or hangup node' });
  }
  issues.push(...instantLoops(flow));
  return issues.length > 0 ? { ok: false, errors: issues } : { ok: true, value: flow };
}

/**
 * A play node's variants must all be prompts of the catalogue (a dangling id
 * is refused by name) and include the prompt of the node they stand in for —
 * which exists in every language of the flow, so every caller has at least
 * that one. A variant recorded in some languages only is heard in those.
 */
function checkVariants(node: PlayNode, at: string, prompts: PromptIndex): ValidationIssue[] {
  const variants = node.variants;
  if (!variants) return node.variantChoice ? [{ path: `${at}.variantChoice`, message: 'variantChoice needs variants' }] : [];
  const issues: ValidationIssue[] = [];
  variants.forEach((promptId, i) => {
    if (!prompts.ids.has(promptId)) issues.push({ path: `${at}.variants[${i}]`, message: `unknown prompt '${promptId}': a variant must be a prompt of the catalogue` });
  });
  if (issues.length > 0) return issues;
  if (!node.prompts.some((id) => variants.includes(id))) {
    issues.push({ path: `${at}.variants`, message: `must include the prompt they stand in for (one of prompts: ${node.prompts.join(', ')})` });
  }
  return issues;
}

/** Input nodes must say what happens on silence, on a wrong key and when the caller keeps failing. */
function checkInputHandling(node: FlowNode, at: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (node.type !== 'menu' && node.type !== 'collect') {
    if (node.type === 'callback' && !KEY.test(node.acceptKey)) {
      issues.push({ path: `${at}.acceptKey`, message: `'${node.acceptKey}' is not a key (0-9, *, #)` });
    }
    return issues;
  }
  const kind = node.type;
  if (node.timeoutMs === undefined) issues.push({ path: at, message: `${kind} has no timeoutMs` });
  if (node.maxRetries === undefined) issues.push({ path: at, message: `${kind} has no maxRetries` });
  if (node.onTimeout === undefined) issues.push({ path: at, message: `${kind} has no onTimeout branch` });
  if (node.onInvalid === undefined) issues.push({ path: at, message: `${kind} has no onInvalid branch` });
  if (node.onMaxRetries === undefined) issues.push({ path: at, message: `${kind} has no onMaxRetries branch` });
  if (node.type === 'menu') {
    const keys = Object.keys(node.options);
    if (keys.length === 0) issues.push({ path: `${at}.options`, message: 'menu has no options' });
    for (const key of keys) {
      if (!KEY.test(key)) issues.push({ path: `${at}.options.${key}`, message: `'${key}' is not a key (0-9, *, #)` });
    }
  } else {
    if (node.minLength > node.maxLength) {
      issues.push({ path: `${at}.minLength`, message: `minLength (${node.minLength}) is above maxLength (${node.maxLength})` });
    }
  }
  return issues;
}

/**
 * Cycles made only of set/branch/business-hours nodes would spin at run time
 * until the step guard trips: nothing in them waits for the caller or the clock.
 */
function instantLoops(flow: FlowDocument): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    const node = flow.nodes[id];
    if (!node || !isInstantNode(node) || state.get(id) === 'done') return;
    if (state.get(id) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      issues.push({ path: childPath('nodes', id), message: `loop ${cycle.map((c) => `'${c}'`).join(' → ')} plays nothing and waits for nothing` });
      return;
    }
    state.set(id, 'open');
    stack.push(id);
    for (const e of nodeEdges(node)) visit(e.to);
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of Object.keys(flow.nodes)) visit(id);
  return issues;
}
