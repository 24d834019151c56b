/**
 * True when every promise settled within `ms`, false when the time ran out
 * first — or when `stopWaiting` settled first (an impatient second Ctrl-C).
 */
export async function settlesWithin(promises: ReadonlyArray<Promise<unknown>>, ms: number, stopWaiting?: Promise<unknown>): Promise<boolean> {
  if (promises.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.allSettled(promises).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
      ...(stopWaiting ? [stopWaiting.then(() => false, () => false)] : []),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
