/** The operation did not answer in time (a hung connection, a server that stopped answering). */
export class OperationTimeoutError extends Error {
  override readonly name = 'OperationTimeoutError';
}

/**
 * Settles with `work`, or rejects with OperationTimeoutError after `ms`. The
 * timer is always cleared. `work` is not cancelled: a write that times out may
 * still commit later, which is why everything written through here is idempotent.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OperationTimeoutError(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
