/**
 * Runs every release step of a teardown in order, each one even when a step
 * before it failed, then throws what failed: a page that will not close must
 * not leave its browser, a server or a database behind for the rest of the
 * run, and must not pass unnoticed either. A step may be undefined-safe
 * (`() => browser?.close()`), for a setup that failed before making it.
 */
export async function releaseInOrder(steps: ReadonlyArray<() => unknown>, options: { stepTimeoutMs?: number } = {}): Promise<void> {
  const failures: unknown[] = [];
  const limitMs = options.stepTimeoutMs ?? 30_000;
  for (const [index, step] of steps.entries()) {
    let timer: NodeJS.Timeout | undefined;
    try {
      // A step that hangs is abandoned with an error naming it, so that the next ones still run and the report
      // says which step hung (a CI run once showed only "Exceeded timeout of 60000 ms for a hook").
      await Promise.race([
        Promise.resolve().then(step),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`release step ${index + 1} of ${steps.length} (${step.toString().slice(0, 80)}) did not finish in ${limitMs} ms`)), limitMs);
        }),
      ]);
    } catch (err) {
      failures.push(err);
    } finally {
      clearTimeout(timer);
    }
  }
  // One failure is thrown as it is, so its message and stack read as if nothing wrapped it.
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} release steps failed`);
}
