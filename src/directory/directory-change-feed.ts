import type Redis from 'ioredis';
import type { Logger } from '../logger';
import { ChangeFeed } from '../platform/change-feed';

/** A change to the client directory: the numbers whose owner changed, or null for "anything may have". */
export interface DirectoryChange {
  e164s: string[] | null;
}

function parseDirectoryChange(message: unknown): DirectoryChange {
  const e164s = (message as { e164s?: unknown } | null)?.e164s;
  return { e164s: Array.isArray(e164s) ? e164s.filter((e): e is string => typeof e === 'string') : null };
}

/** Tells every process that clients changed, so their caller caches drop stale entries at once. */
export class DirectoryChangeFeed extends ChangeFeed<DirectoryChange> {
  constructor(redis: Redis, logger: Logger) {
    super(redis, 'sb:directory:changed', logger, parseDirectoryChange);
  }
}

/** Staff, departments or queues changed: every process's ACD view is synchronised again. */
export class StaffingChangeFeed extends ChangeFeed<Record<string, never>> {
  constructor(redis: Redis, logger: Logger) {
    super(redis, 'sb:directory:staffing-changed', logger, () => ({}));
  }
}
