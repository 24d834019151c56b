import type { QueueWaitOptions } from '../../directory/queue-wait-options';
import type { Queryable } from '../pool';

/** What every active queue's waiting callers hear and may press, by queue name (the ACD's queue id). */
export async function loadQueueWaitOptions(q: Queryable): Promise<Map<string, QueueWaitOptions>> {
  const { rows } = await q.query<{ name: string; announce_every_seconds: number; music_on_hold: string; callback_key: string | null; message_key: string | null }>(
    'SELECT name, announce_every_seconds, music_on_hold, callback_key, message_key FROM queues WHERE active',
  );
  return new Map(rows.map((r) => [r.name, {
    announceEverySeconds: r.announce_every_seconds, musicOnHold: r.music_on_hold, callbackKey: r.callback_key, messageKey: r.message_key,
  }]));
}
