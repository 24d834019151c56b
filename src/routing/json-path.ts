/**
 * Path helpers shared by the routing-config and IVR-flow validators. Admins
 * read paths like `rules[3].target.fallback[1].queue` or
 * `nodes.main_menu.options.4`, so JSON pointers from the schema checker are
 * rewritten into that form by walking the document (only the document knows
 * whether a numeric segment indexes an array or names an object key).
 */

/** Appends a key or an index to a dotted path. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Converts an RFC 6901 JSON pointer (`/rules/3/target`) into the dotted form, guided by the document. */
export function pointerToPath(pointer: string, root: unknown): string {
  if (pointer === '' || pointer === '/') return '';
  const segments = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = '';
  let node: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) {
      const index = Number(segment);
      path = childPath(path, index);
      node = node[index];
    } else {
      path = childPath(path, segment);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}
