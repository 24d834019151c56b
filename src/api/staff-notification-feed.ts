import type Redis from 'ioredis';
import type { Logger } from '../logger';
import { ChangeFeed } from '../platform/change-feed';
import type { StaffNotification } from '../db/repositories/staff-notifications-repository';

const isNotification = (m: unknown): m is StaffNotification => {
  const n = m as Partial<StaffNotification> | null;
  return typeof n?.id === 'number' && typeof n.staffId === 'number' && (n.kind === 'client_assigned' || n.kind === 'order_taken');
};

/**
 * Carries a stored notification to the softphones of its recipient, whichever
 * Switchboard process holds their socket (Redis pub/sub, like the ACD's live
 * events). A notification lost here is still in the list the softphone reads.
 */
export class StaffNotificationFeed {
  private readonly feed: ChangeFeed<StaffNotification | null>;

  constructor(redis: Redis, logger: Logger) {
    this.feed = new ChangeFeed(redis, 'sb:staff:notifications', logger, (m) => (isNotification(m) ? m : null));
  }

  async publish(notifications: readonly StaffNotification[]): Promise<void> {
    for (const n of notifications) await this.feed.publish(n);
  }

  /** Delivers every notification published from now on to `deliver`. */
  async subscribe(deliver: (notification: StaffNotification) => void): Promise<void> {
    await this.feed.subscribe((n) => {
      if (n) deliver(n);
    });
  }

  close(): void {
    this.feed.close();
  }
}
