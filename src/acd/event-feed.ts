import type Redis from 'ioredis';
import { parseAcdEvent, type AcdEvent } from './acd-event';
import type { AcdKeys } from './keys';

/**
 * Listens to the live event channel. `subscriber` must be a connection of its
 * own (a subscribed connection can run nothing else; create it with
 * `redis.duplicate()`); the caller keeps ownership of it. Resolves once the
 * subscription is active; the returned function removes the listener and
 * unsubscribes — call it in a `finally`.
 */
export async function subscribeAcdEvents(
  subscriber: Redis,
  keys: AcdKeys,
  listener: (event: AcdEvent) => void,
): Promise<() => Promise<void>> {
  const channel = keys.get('events');
  const onMessage = (from: string, message: string): void => {
    if (from !== channel) return;
    const event = parseAcdEvent(message);
    if (event) listener(event);
  };
  subscriber.on('message', onMessage);
  try {
    await subscriber.subscribe(channel);
  } catch (err) {
    subscriber.off('message', onMessage);
    throw err;
  }
  return async () => {
    subscriber.off('message', onMessage);
    await subscriber.unsubscribe(channel);
  };
}

/** One entry of the durable event stream. */
export interface StoredAcdEvent {
  /** Stream id: pass the last one back as `after` to continue reading. */
  id: string;
  event: AcdEvent;
}

/**
 * Reads the durable stream in order, for the Postgres writer and for tests.
 * `after` is exclusive ('0' = from the beginning).
 */
export async function readAcdEvents(
  redis: Redis,
  keys: AcdKeys,
  options: { after?: string; count?: number } = {},
): Promise<StoredAcdEvent[]> {
  const after = options.after ?? '0';
  const entries = await redis.xrange(keys.get('eventStream'), after === '0' ? '-' : `(${after}`, '+', 'COUNT', options.count ?? 1000);
  const out: StoredAcdEvent[] = [];
  for (const [id, fields] of entries) {
    const json = fields[fields.indexOf('e') + 1];
    const event = json === undefined ? null : parseAcdEvent(json);
    if (event) out.push({ id, event });
  }
  return out;
}

/** Reads the whole stream (tests, replays); pages through it to keep each reply small. */
export async function readAllAcdEvents(redis: Redis, keys: AcdKeys): Promise<AcdEvent[]> {
  const all: AcdEvent[] = [];
  let after = '0';
  for (;;) {
    const page = await readAcdEvents(redis, keys, { after, count: 5000 });
    if (page.length === 0) return all;
    for (const entry of page) all.push(entry.event);
    after = page[page.length - 1]?.id ?? after;
  }
}
