/**
 * Runs every release step of a teardown in order, each one even when a step
 * before it failed, then throws what failed: a page that will not close must
 * not leave its browser, a server or a database behind for the rest of the
 * run, and must not pass unnoticed either. A step may be undefined-safe
 * (`() => browser?.close()`), for a setup that failed before making it.
 */
export async function releaseInOrder(steps: ReadonlyArray<() => unknown>): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      failures.push(err);
    }
  }
  // One failure is thrown as it is, so its message and stack read as if nothing wrapped it.
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} release steps failed`);
}
