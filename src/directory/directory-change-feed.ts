import type Redis from 'ioredis';
import type { Logger } from '../logger';

const CHANNEL = 'sb:directory:changed';

/** A change to the client directory: the numbers whose owner changed, or null for "anything may have". */
export interface DirectoryChange {
  e164s: string[] | null;
}

/**
 * Tells every Switchboard process sharing Redis that clients changed, so
 * their caller caches drop stale entries at once rather than at expiry.
 */
export class DirectoryChangeFeed {
  private subscriber: Redis | null = null;

  constructor(private readonly redis: Redis, private readonly logger: Logger) {}

  async publish(change: DirectoryChange): Promise<void> {
    try {
      await this.redis.publish(CHANNEL, JSON.stringify(change));
    } catch (err) {
      // Caches still expire on their own; a lost notice delays, never corrupts.
      this.logger.warn({ err: (err as Error).message }, 'could not announce a directory change');
    }
  }

  /** Calls `onChange` for every change announced by any process. */
  async subscribe(onChange: (change: DirectoryChange) => void): Promise<void> {
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        const parsed = JSON.parse(message) as DirectoryChange;
        onChange({ e164s: Array.isArray(parsed.e164s) ? parsed.e164s.filter((e): e is string => typeof e === 'string') : null });
      } catch {
        onChange({ e164s: null });
      }
    });
    await subscriber.subscribe(CHANNEL);
    this.subscriber = subscriber;
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = null;
  }
}
