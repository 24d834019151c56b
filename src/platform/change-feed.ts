import type Redis from 'ioredis';
import type { Logger } from '../logger';

/**
 * A notice that something every process caches has changed (directory
 * entries, a published config), sent over Redis pub/sub so that all
 * Switchboard processes sharing Redis drop their copies at once.
 */
export class ChangeFeed<T> {
  private subscriber: Redis | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly logger: Logger,
    /** Turns a received message into a notice; a malformed one yields the "anything may have changed" notice. */
    private readonly parse: (message: unknown) => T,
  ) {}

  async publish(notice: T): Promise<void> {
    try {
      await this.redis.publish(this.channel, JSON.stringify(notice));
    } catch (err) {
      // Caches still expire on their own: a lost notice delays, never corrupts.
      this.logger.warn({ channel: this.channel, err: (err as Error).message }, 'could not announce a change');
    }
  }

  async subscribe(onNotice: (notice: T) => void): Promise<void> {
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, message: string) => {
      let decoded: unknown = null;
      try {
        decoded = JSON.parse(message);
      } catch {
        // keep null: parse() maps it to "anything may have changed"
      }
      onNotice(this.parse(decoded));
    });
    await subscriber.subscribe(this.channel);
    this.subscriber = subscriber;
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = null;
  }
}
