/**
 * A readable structural diff of two JSON documents (two config versions, an
 * audit entry's before and after). Paths use the validators' form
 * (`nodes.main_menu.options.3`, `rules[2].target.queue`) so a change and a
 * validation message about the same place read alike. Arrays whose items all
 * carry a string `id` (routing rules) are matched by id, so moving one rule
 * reads as one move, not as every later rule changing.
 */
export type ChangeKind = 'added' | 'removed' | 'changed';

export interface JsonChange {
  path: string;
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const keyed = (items: unknown[]): Map<string, unknown> | null => {
  if (items.length === 0) return null;
  const map = new Map<string, unknown>();
  for (const item of items) {
    if (!isObject(item) || typeof item.id !== 'string' || map.has(item.id)) return null;
    map.set(item.id, item);
  }
  return map;
};

function child(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function diffJson(before: unknown, after: unknown, path = ''): JsonChange[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path, kind: 'added', after }];
  if (after === undefined) return [{ path, kind: 'removed', before }];
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = keyed(before);
    const b = keyed(after);
    if (a && b) {
      const changes: JsonChange[] = [];
      for (const [id, item] of a) changes.push(...diffJson(item, b.get(id), `${path}[id=${id}]`));
      for (const [id, item] of b) if (!a.has(id)) changes.push({ path: `${path}[id=${id}]`, kind: 'added', after: item });
      const orderBefore = [...a.keys()].filter((id) => b.has(id));
      const orderAfter = [...b.keys()].filter((id) => a.has(id));
      if (orderBefore.join('\u0000') !== orderAfter.join('\u0000')) changes.push({ path: `${path} (order)`, kind: 'changed', before: orderBefore, after: orderAfter });
      return changes;
    }
    const changes: JsonChange[] = [];
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) changes.push(...diffJson(before[i], after[i], child(path, i)));
    return changes;
  }
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => diffJson(before[key], after[key], child(path, key)));
  }
  return Object.is(before, after) || JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, kind: 'changed', before, after }];
}

/** A value in one line, short enough for a table cell. */
export function compactJson(value: unknown, max = 400): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
