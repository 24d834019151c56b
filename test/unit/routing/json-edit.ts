/**
 * Edits a deep copy of a JSON document by dotted paths (`rules.9.target.queue`),
 * so validator corpora can break documents in ways their types forbid without
 * resorting to `any`.
 */
export interface JsonEditor {
  set(path: string, value: unknown): void;
  remove(path: string): void;
  push(path: string, value: unknown): void;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function parentOf(root: unknown, path: string): { parent: Container; key: string } {
  const parts = path.split('.');
  const key = parts.pop() as string;
  let node: unknown = root;
  for (const part of parts) {
    if (!isContainer(node)) throw new Error(`json-edit: ${path} does not exist`);
    node = Array.isArray(node) ? node[Number(part)] : node[part];
  }
  if (!isContainer(node)) throw new Error(`json-edit: ${path} does not exist`);
  return { parent: node, key };
}

function get(root: unknown, path: string): unknown {
  const { parent, key } = parentOf(root, path);
  return Array.isArray(parent) ? parent[Number(key)] : parent[key];
}

/** A deep copy of `base` with the edits applied; `unknown`, because it may no longer match its type. */
export function edited(base: unknown, edit: (e: JsonEditor) => void): unknown {
  const doc: unknown = structuredClone(base);
  edit({
    set(path, value) {
      const { parent, key } = parentOf(doc, path);
      if (Array.isArray(parent)) parent[Number(key)] = value;
      else parent[key] = value;
    },
    remove(path) {
      const { parent, key } = parentOf(doc, path);
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    },
    push(path, value) {
      const list = get(doc, path);
      if (!Array.isArray(list)) throw new Error(`json-edit: ${path} is not a list`);
      list.push(value);
    },
  });
  return doc;
}
