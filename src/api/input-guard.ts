/**
 * What no request may carry, whatever its route's schema says (issue 15):
 * a NUL character in any string (Postgres text cannot hold one and fails the
 * query with a 500) and JSON nested deeper than any real document (recursive
 * validation of 5000 levels overflows the stack). Checked without recursion,
 * so a hostile document cannot overflow the check itself.
 */

/** Deeper than any IVR flow or routing config an editor produces. */
export const MAX_INPUT_DEPTH = 64;

/** Why `value` is refused (naming where), or null when it is fine. */
export function inputProblem(value: unknown, where: string, maxDepth: number = MAX_INPUT_DEPTH): string | null {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: where, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return `${path} contains a NUL character`;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return `${path} is nested more than ${maxDepth} levels deep`;
    if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(current as Record<string, unknown>)) {
      if (key.includes('\u0000')) return `${path} has a key with a NUL character`;
      pending.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}
