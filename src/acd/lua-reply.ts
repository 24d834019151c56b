/**
 * Reading what the ACD script returns (JSON made by Lua's cjson). cjson
 * encodes an empty Lua table as `{}`, so every list may arrive as an empty
 * object, and Redis replies such as HGETALL arrive as flat [field, value…]
 * lists.
 */
export type LuaReply = Record<string, unknown>;

export function parseLuaReply(raw: unknown): LuaReply {
  if (typeof raw !== 'string') throw new TypeError('the ACD script returned no JSON');
  const value: unknown = JSON.parse(raw);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('the ACD script returned no object');
  return value as LuaReply;
}

/** A list, treating `{}` (cjson's empty table) and absence as empty. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A flat [field, value, field, value…] reply as numbers by field. */
export function pairsToNumbers(value: unknown): Record<string, number> {
  const list = asList(value);
  const out: Record<string, number> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = Number(list[i + 1]);
  return out;
}

export function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}
