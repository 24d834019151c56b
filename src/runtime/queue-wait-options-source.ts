import type { Queryable } from '../db/pool';
import { loadQueueWaitOptions } from '../db/repositories/queue-wait-settings-repository';
import type { QueueWaitOptions } from '../directory/queue-wait-options';

/**
 * Each queue's settings for its waiting callers (issue 17), read from the
 * directory at most every `ttlMs` (an admin's change reaches new waits within
 * it); while Postgres is away the last copy serves.
 */
export function queueWaitOptionsSource(db: Queryable, ttlMs = 10_000): (queueId: string) => Promise<QueueWaitOptions | null> {
  let byQueue: Map<string, QueueWaitOptions> | null = null;
  let at = 0;
  return async (queueId) => {
    if (!byQueue || Date.now() - at >= ttlMs) {
      try {
        byQueue = await loadQueueWaitOptions(db);
        at = Date.now();
      } catch (err) {
        if (!byQueue) throw err;
      }
    }
    return byQueue.get(queueId) ?? null;
  };
}
