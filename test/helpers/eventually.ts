/**
 * Asks `probe` until `done` holds or the time is up, and returns the last
 * answer — so a test waits for something asynchronous (a reconnect, an event
 * that crosses Redis) instead of sleeping a guessed time, and its assertion
 * still shows what was last seen.
 */
export async function eventually<T>(probe: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await probe();
  }
  return value;
}

/**
 * Runs `check` (which throws, e.g. a failing expect) until it passes or the
 * time is up, then throws its last failure — for waiting on a background
 * worker (an outbox drainer) instead of sleeping a guessed time.
 */
export async function untilPasses(check: () => Promise<void>, timeoutMs = 20_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/**
 * A deliberate pause, for the few tests that need time itself to pass: a
 * call held for seconds to measure the hold, or "nothing happens meanwhile".
 * `why` says which, so that a reader can tell it from a guessed wait.
 */
export async function quietPeriod(ms: number, why: string): Promise<void> {
  if (!why.trim()) throw new Error('quietPeriod needs a reason');
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Asserts that what `read` shows becomes `expected` (equal text, or a match)
 * within the time: for pages fed live (the wallboard, a softphone), where one
 * read right after an event may still show the snapshot before it. Fails with
 * the last value seen.
 */
export async function expectSoon(read: () => Promise<string | null>, expected: string | RegExp, timeoutMs = 10_000): Promise<void> {
  const matches = (value: string | null): boolean =>
    typeof expected === 'string' ? value === expected : value !== null && expected.test(value);
  const last = await eventually(read, matches, timeoutMs);
  if (typeof expected === 'string') expect(last).toBe(expected);
  else expect(last).toMatch(expected);
}
