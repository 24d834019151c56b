/**
 * Deep freezing, with a record of what was frozen so: a value handed around
 * by reference (a published IVR flow, the prompt catalogue, the loaded config)
 * is frozen once where it is made, and a consumer that needs an unchanging
 * copy (IvrRun keeps the flow a call started on) can take the value itself
 * instead of cloning it for every call. Pure: no I/O.
 */

/** Roots frozen by deepFreeze: everything reachable from them is frozen too. */
const deeplyFrozen = new WeakSet<object>();

/** Freezes `value` and everything reachable from it, in place; returns it. */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value !== 'object' || value === null || deeplyFrozen.has(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  Object.freeze(value);
  deeplyFrozen.add(value);
  return value;
}

/**
 * Whether `value` went through deepFreeze, so nothing in it can change.
 * Object.isFrozen alone says nothing of the objects inside.
 */
export function isDeepFrozen(value: unknown): boolean {
  return typeof value === 'object' && value !== null && deeplyFrozen.has(value);
}

/** `value` itself when it is deeply frozen, else a deeply frozen copy of it (structuredClone). */
export function frozenSnapshot<T>(value: T): Readonly<T> {
  return isDeepFrozen(value) ? value : deepFreeze(structuredClone(value));
}
